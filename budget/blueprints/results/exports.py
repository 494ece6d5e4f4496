"""Downloads of the results: XLSX, PDF, open-data JSON, and one Pabulib file per envelope.

Same visibility as the results page (`_visible_run`, checked at download time): the published
run for everyone, the latest unpublished run for staff and council (a preview, named so in the
file name and inside the file), 404 for anyone else. Never cached.
"""
from __future__ import annotations

from flask import Response, abort

from budget.blueprints.results import bp
from budget.blueprints.results.views import _visible_run
from budget.services import exports


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


def _export(cycle_id: int, format_name: str) -> Response:
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    export = exports.FORMATS[format_name]
    return _download(export.render(report), export.mimetype,
                     exports.filename(report, format_name))


@bp.route("/cycles/<int:cycle_id>/results.xlsx")
def results_xlsx(cycle_id: int):
    return _export(cycle_id, "xlsx")


@bp.route("/cycles/<int:cycle_id>/results.pdf")
def results_pdf(cycle_id: int):
    return _export(cycle_id, "pdf")


@bp.route("/cycles/<int:cycle_id>/results.json")
def results_json(cycle_id: int):
    return _export(cycle_id, "json")


@bp.route("/cycles/<int:cycle_id>/envelopes/<int:envelope_id>.pb")
def envelope_pb(cycle_id: int, envelope_id: int):
    cycle, run, preview = _visible_run(cycle_id)
    report = exports.build_report(cycle, run, preview=preview)
    if all(envelope.id != envelope_id for envelope in report.envelopes):
        abort(404)
    return _download(exports.render_pb(report, envelope_id), exports.PB_MIMETYPE,
                     exports.pb_filename(report, envelope_id))
