"""Exports of a stored tally run: one module per format, listed in FORMATS.

Every export is made from a stored `TallyRun` (never recomputed), carries the run's
fingerprint, and never names a voter. The routes (`budget/blueprints/results/exports.py`) and
`flask budget export` both go through `build_report` and FORMATS, so they give the same files.

    report = build_report(cycle, run)          # preview = the run is not published
    FORMATS["xlsx"].render(report) -> bytes;  filename(report, "xlsx")
    render_pb(report, envelope_id) -> bytes;   pb_filename(report, envelope_id)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from budget.services import results
from budget.services.exports.opendata import render_json
from budget.services.exports.pabulib_export import pb_filename, render_pb
from budget.services.exports.report import RunReport
from budget.services.exports.report import build as build_report

__all__ = ["FORMATS", "Format", "PB_MIMETYPE", "build_report", "filename", "pb_filename",
           "render_pb"]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    mimetype: str
    render: Callable[[RunReport], bytes]


def _csv(report: RunReport) -> bytes:
    return results.as_csv(report.cycle, report.run).encode("utf-8")


# fpdf and openpyxl are imported when a file is made, not with the application: a command
# such as `flask budget tally` would otherwise load them for nothing (about a second).
def render_xlsx(report: RunReport) -> bytes:
    from budget.services.exports.xlsx import render_xlsx as render

    return render(report)


def render_pdf(report: RunReport) -> bytes:
    from budget.services.exports.pdf import render_pdf as render

    return render(report)


FORMATS: dict[str, Format] = {
    "csv": Format("csv", "csv", "text/csv; charset=utf-8", _csv),
    "xlsx": Format("xlsx", "xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   render_xlsx),
    "pdf": Format("pdf", "pdf", "application/pdf", render_pdf),
    "json": Format("json", "json", "application/json; charset=utf-8", render_json),
}
# Pabulib has no registered media type: it is semicolon-separated UTF-8 text.
PB_MIMETYPE = "text/plain; charset=utf-8"


def filename(report: RunReport, format_name: str) -> str:
    """`resultats-cycle-3.xlsx`, or `resultats-cycle-3-apercu.xlsx` for a preview."""
    preview = "-apercu" if report.preview else ""
    return f"resultats-cycle-{report.cycle.id}{preview}.{FORMATS[format_name].extension}"
