"""Posters for notice boards: an A4 PDF and the QR code (SVG) of a cycle's or a proposal's
public page. Public downloads, as the pages they point to: a proposal one may not read gives
404, as its page does (subjects.readable_proposal)."""
from flask import Response

from budget.blueprints import subjects
from budget.blueprints.public.blueprint import bp
from budget.services.exports.posters import Poster, cycle_poster, proposal_poster, qr_svg


@bp.route("/cycles/<int:cycle_id>/poster.pdf")
def cycle_poster_pdf(cycle_id: int):
    poster = cycle_poster(subjects.cycle(cycle_id))
    return _pdf(poster, f"affiche-cycle-{cycle_id}.pdf")


@bp.route("/cycles/<int:cycle_id>/qr.svg")
def cycle_poster_svg(cycle_id: int):
    poster = cycle_poster(subjects.cycle(cycle_id))
    return _svg(poster, f"qr-cycle-{cycle_id}.svg")


@bp.route("/proposals/<int:proposal_id>/poster.pdf")
def proposal_poster_pdf(proposal_id: int):
    poster = proposal_poster(subjects.readable_proposal(proposal_id))
    return _pdf(poster, f"affiche-projet-{proposal_id}.pdf")


@bp.route("/proposals/<int:proposal_id>/qr.svg")
def proposal_poster_svg(proposal_id: int):
    poster = proposal_poster(subjects.readable_proposal(proposal_id))
    return _svg(poster, f"qr-projet-{proposal_id}.svg")


def _pdf(poster: Poster, filename: str) -> Response:
    from budget.services.exports.poster_pdf import poster_pdf  # fpdf, only when asked for

    return Response(poster_pdf(poster), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _svg(poster: Poster, filename: str) -> Response:
    title = poster.proposal_title or poster.cycle_title
    return Response(qr_svg(poster.url, title), mimetype="image/svg+xml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
