"""The whole run as one download: a ZIP of every envelope's Pabulib file, which
`flask budget verify` checks against the run fingerprint shown on the results page. Same
visibility as the other downloads (`_visible_run`); never cached."""
from __future__ import annotations

from budget.blueprints.results import bp
from budget.blueprints.results.exports import _download
from budget.blueprints.results.views import _visible_run
from budget.services import exports
from budget.services.exports.pb_folder import ZIP_MIMETYPE, render_pb_zip, zip_filename


@bp.route("/cycles/<int:cycle_id>/results-pabulib.zip")
def results_pb_zip(cycle_id: int):
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    return _download(render_pb_zip(report), ZIP_MIMETYPE, zip_filename(report))
