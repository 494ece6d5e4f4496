"""Plain JSON views of cycles and proposals: only what the public pages show."""
from __future__ import annotations

from budget.links import public_url
from budget.models import BudgetCycle, Envelope, ProjectTracking, Proposal, ProposalImage
from budget.services.images import PHOTO_LICENCE
from budget.services.tracking_read import announced_dates


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
                     "vote_start": _iso(cycle.vote_start), "vote_end": _iso(cycle.vote_end),
                     **({"supports_start": _iso(cycle.supports_start)}
                        if cycle.supports_start is not None else {})},
        "vote_format": {"name": cycle.vote_format, **cycle.ballot_format.as_params()},
        "tally_rule": cycle.tally_rule,
        "envelopes": [envelope_json(e) for e in cycle.envelopes],
        "results_published": cycle.published_run is not None,
    }


def proposal_json(proposal: Proposal, comment_count: int = 0, support_count: int = 0) -> dict:
    """`comment_count`: its comments shown on its page (hidden ones are not counted);
    `support_count`: the residents who support it."""
    return {
        "id": proposal.id, "title": proposal.title, "description": proposal.description,
        "status": proposal.status.value, "envelope_id": proposal.envelope_id,
        "estimated_cost_eur": proposal.estimated_cost, "final_cost_eur": proposal.final_cost,
        "rejection_reason": proposal.rejection_reason,
        "location": {"latitude": proposal.latitude, "longitude": proposal.longitude}
        if proposal.latitude is not None else None,
        "photos": [photo_json(proposal, image) for image in proposal.images],
        "themes": [{"id": theme.id, "name": theme.name, "description": theme.description,
                    "icon": theme.icon} for theme in proposal.themes],
        "comment_count": comment_count, "support_count": support_count,
    }


def photo_json(proposal: Proposal, image: ProposalImage) -> dict:
    def url(endpoint):
        return public_url(endpoint, proposal_id=proposal.id, token=image.token)

    return {"url": url("proposals.photo"), "thumbnail_url": url("proposals.thumbnail"),
            "alt_text": image.alt_text, "width": image.width, "height": image.height,
            "licence": PHOTO_LICENCE}


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def tracking_json(record: ProjectTracking) -> dict:
    """A winner's delivery: its state, the planned dates announced (first to current), its
    milestones with their photos."""
    def photo_urls(photo) -> dict:
        return {"url": public_url("tracking.photo", token=photo.token),
                "thumbnail_url": public_url("tracking.thumbnail", token=photo.token),
                "alt_text": photo.alt_text, "width": photo.width, "height": photo.height,
                "licence": PHOTO_LICENCE}

    delivering = record.delivering_commune
    return {
        "proposal_id": record.proposal_id, "title": record.proposal.title,
        "envelope_id": record.envelope_id,
        "commune": {"name": record.commune.name, "insee_code": record.commune.insee_code}
        if record.commune else None,
        "delivered_by": {"kind": "commune", "name": delivering.name,
                         "insee_code": delivering.insee_code} if delivering else
        {"kind": "intercommunality", "name": record.cycle.intercommunality.name,
         "siren": record.cycle.intercommunality.siren},
        "service": record.service, "stage": record.stage.value, "progress": record.progress,
        "abandon_reason": record.abandon_reason,
        "merged_into_proposal_id": (record.merged_into.proposal_id
                                    if record.merged_into is not None else None),
        "voted_eur": record.amount_voted_eur,
        "committed_eur": record.committed_eur, "spent_eur": record.spent_eur,
        "planned_delivery": _day(record.planned_delivery),
        "planned_delivery_history": [_day(d) for d in announced_dates(record)],
        "delivered_on": _day(record.delivered_on),
        "milestones": [{"date": _day(m.happened_on), "text": m.text,
                        "photos": [photo_urls(p) for p in m.photos]}
                       for m in record.milestones],
    }
