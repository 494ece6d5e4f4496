"""Plain JSON views of cycles and proposals: only what the public pages show."""
from __future__ import annotations

from budget.links import public_url
from budget.models import BudgetCycle, Envelope, Proposal, ProposalImage
from budget.services.images import PHOTO_LICENCE


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") + "Z"


def envelope_json(envelope: Envelope) -> dict:
    commune = envelope.commune
    return {"id": envelope.id, "amount_eur": envelope.amount,
            "commune": {"name": commune.name, "insee_code": commune.insee_code}
            if commune else None}


def cycle_json(cycle: BudgetCycle) -> dict:
    epci = cycle.intercommunality
    return {
        "id": cycle.id, "title": cycle.title, "description": cycle.description,
        "phase": cycle.phase().value,
        "territory": {"name": epci.name, "siren": epci.siren},
        "schedule": {"proposals_start": _iso(cycle.proposals_start),
                     "review_start": _iso(cycle.review_start),
                     "vote_start": _iso(cycle.vote_start), "vote_end": _iso(cycle.vote_end)},
        "vote_format": {"name": cycle.vote_format, **cycle.ballot_format.as_params()},
        "tally_rule": cycle.tally_rule,
        "envelopes": [envelope_json(e) for e in cycle.envelopes],
        "results_published": cycle.published_run is not None,
    }


def proposal_json(proposal: Proposal, comment_count: int = 0) -> dict:
    """`comment_count`: its comments shown on its page (hidden ones are not counted)."""
    return {
        "id": proposal.id, "title": proposal.title, "description": proposal.description,
        "status": proposal.status.value, "envelope_id": proposal.envelope_id,
        "estimated_cost_eur": proposal.estimated_cost, "final_cost_eur": proposal.final_cost,
        "rejection_reason": proposal.rejection_reason,
        "location": {"latitude": proposal.latitude, "longitude": proposal.longitude}
        if proposal.latitude is not None else None,
        "photos": [photo_json(proposal, image) for image in proposal.images],
        "comment_count": comment_count,
    }


def photo_json(proposal: Proposal, image: ProposalImage) -> dict:
    def url(endpoint):
        return public_url(endpoint, proposal_id=proposal.id, token=image.token)

    return {"url": url("proposals.photo"), "thumbnail_url": url("proposals.thumbnail"),
            "alt_text": image.alt_text, "width": image.width, "height": image.height,
            "licence": PHOTO_LICENCE}
