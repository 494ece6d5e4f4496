"""Downloads of the results: CSV, XLSX, PDF, open-data JSON, and one Pabulib file per envelope.

Same visibility as the results page (`_visible_run`, checked at download time): the published
run for everyone, the latest unpublished run for staff and council (a preview, named so in the
file name and inside the file), 404 for anyone else. A published run's files are built once
and then served as stored (services/exports/stored.py), with a strong ETag and
`Cache-Control: public` (results/shared_pages.py); a preview is never kept (`no-store`).
Downloads are limited per address: a file not built yet costs up to a second of CPU.
"""
from __future__ import annotations

import io

from flask import Response, abort, send_file
from flask_babel import get_locale

from budget.blueprints.results.blueprint import bp
from budget.blueprints.results.shared_pages import shared_response
from budget.blueprints.results.views import _visible_run
from budget.extensions import limiter
from budget.services import adoption, exports, tracking_read
from budget.services.exports import opendata
from budget.services.exports.stored import stored_export

DOWNLOADS = "20 per minute;200 per day"


def _download(data, mimetype: str, filename: str, preview: bool) -> Response:
    """`data`: a stored file's path, or bytes. A published run's file is the same for everyone
    (same language): public, with its ETag; a preview is for staff only."""
    if not preview:
        response = shared_response(data, mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    response = send_file(io.BytesIO(data) if isinstance(data, bytes) else data,
                         mimetype=mimetype, etag=False, conditional=False)
    # As given: send_file would add "; charset=utf-8" again to a text type that has it.
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _export(cycle_id: int, format_name: str) -> Response:
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    export = exports.FORMATS[format_name]
    # A council's decision recorded later changes these files, and a winner's delivery the
    # open data: one stored file per state. The open data's schema version too: a file stored
    # before an upgrade (1.2, without themes nor supports) is not served as the new one.
    delivery = (f"{tracking_read.revision(cycle)}-v{opendata.SCHEMA_VERSION}"
                if format_name == "json" else "")
    name = f"results{adoption.revision(run)}{delivery}.{export.extension}"
    data = stored_export(report, name, str(get_locale()),
                         lambda: export.render(report))
    return _download(data, export.mimetype, exports.filename(report, format_name), preview)


@bp.route("/cycles/<int:cycle_id>/results.csv")
@limiter.limit(DOWNLOADS)
def results_csv(cycle_id: int):
    return _export(cycle_id, "csv")


@bp.route("/cycles/<int:cycle_id>/results.xlsx")
@limiter.limit(DOWNLOADS)
def results_xlsx(cycle_id: int):
    return _export(cycle_id, "xlsx")


@bp.route("/cycles/<int:cycle_id>/results.pdf")
@limiter.limit(DOWNLOADS)
def results_pdf(cycle_id: int):
    return _export(cycle_id, "pdf")


@bp.route("/cycles/<int:cycle_id>/results.json")
@limiter.limit(DOWNLOADS)
def results_json(cycle_id: int):
    return _export(cycle_id, "json")


@bp.route("/cycles/<int:cycle_id>/envelopes/<int:envelope_id>.pb")
@limiter.limit(DOWNLOADS)
def envelope_pb(cycle_id: int, envelope_id: int):
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    if all(envelope.id != envelope_id for envelope in report.envelopes):
        abort(404)
    data = stored_export(report, f"envelope-{envelope_id}.pb", str(get_locale()),
                         lambda: exports.render_pb(report, envelope_id))
    return _download(data, exports.PB_MIMETYPE, exports.pb_filename(report, envelope_id),
                     preview)
