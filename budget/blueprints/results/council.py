"""What the council files: the annex to its deliberation (PDF, XLSX), made from the published
run, and the deliberations recorded on it (services/adoption.py). Published results only: 404
before, for everyone (a preview is not deliberated on). Same storage and limit as the other
downloads (results/exports.py)."""
from __future__ import annotations

from flask import abort, send_file
from flask_babel import get_locale

from budget.blueprints import subjects
from budget.blueprints.results.blueprint import bp
from budget.blueprints.results.exports import DOWNLOADS, _download
from budget.extensions import db, limiter
from budget.models import CouncilAdoption
from budget.services import adoption, exports
from budget.services.exports.stored import stored_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _published_report(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    run = cycle.published_run or abort(404)
    return exports.build_report(cycle, run, preview=False)


@bp.route("/cycles/<int:cycle_id>/deliberation-annex.pdf")
@limiter.limit(DOWNLOADS)
def annex_pdf(cycle_id: int):
    from budget.services.exports.annex import annex_filename, render_annex_pdf  # fpdf

    report = _published_report(cycle_id)
    data = stored_export(report, "annex.pdf", str(get_locale()),
                         lambda: render_annex_pdf(report))
    return _download(data, "application/pdf", annex_filename(report, "pdf"), False)


@bp.route("/cycles/<int:cycle_id>/deliberation-annex.xlsx")
@limiter.limit(DOWNLOADS)
def annex_xlsx(cycle_id: int):
    from budget.services.exports.annex import annex_filename
    from budget.services.exports.annex_xlsx import render_annex_xlsx  # openpyxl

    report = _published_report(cycle_id)
    data = stored_export(report, "annex.xlsx", str(get_locale()),
                         lambda: render_annex_xlsx(report))
    return _download(data, XLSX, annex_filename(report, "xlsx"), False)


@bp.route("/cycles/<int:cycle_id>/deliberations/<int:adoption_id>.pdf")
@limiter.limit(DOWNLOADS)
def deliberation_pdf(cycle_id: int, adoption_id: int):
    """A deliberation sent with a council's decision: public, as the decision is."""
    cycle = subjects.cycle(cycle_id)
    found = db.session.get(CouncilAdoption, adoption_id)
    if found is None or found.cycle_id != cycle.id or found.pdf_token is None:
        abort(404)
    path = adoption.pdf_path(found)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", etag=False, conditional=False)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="deliberation-{found.deliberation_number_slug}.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response
