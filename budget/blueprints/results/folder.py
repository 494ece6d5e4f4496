"""The whole run as one download: a ZIP of every envelope's Pabulib file, which
`flask budget verify` checks against the run fingerprint shown on the results page. Same
visibility, storage and limit as the other downloads (results/exports.py)."""
from __future__ import annotations

from flask_babel import get_locale

from budget.blueprints.results.blueprint import bp
from budget.blueprints.results.exports import DOWNLOADS, _download
from budget.blueprints.results.views import _visible_run
from budget.extensions import limiter
from budget.services import exports
from budget.services.exports.pb_folder import ZIP_MIMETYPE, render_pb_zip, zip_filename
from budget.services.exports.stored import stored_export


@bp.route("/cycles/<int:cycle_id>/results-pabulib.zip")
@limiter.limit(DOWNLOADS)
def results_pb_zip(cycle_id: int):
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    data = stored_export(report, "results-pabulib.zip", str(get_locale()),
                         lambda: render_pb_zip(report))
    return _download(data, ZIP_MIMETYPE, zip_filename(report), preview)
