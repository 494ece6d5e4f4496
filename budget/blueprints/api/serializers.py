"""Plain JSON views of cycles and proposals: only what the public pages show."""
from __future__ import annotations

from budget.models import BudgetCycle, Envelope, Proposal


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


def proposal_json(proposal: Proposal) -> dict:
    return {
        "id": proposal.id, "title": proposal.title, "description": proposal.description,
        "status": proposal.status.value, "envelope_id": proposal.envelope_id,
        "estimated_cost_eur": proposal.estimated_cost, "final_cost_eur": proposal.final_cost,
        "rejection_reason": proposal.rejection_reason,
    }
