"""What a page is about, loaded from the id in its URL and authorised in one call: 404 when
there is no such thing, 403 when the policy (services/policy.py) refuses the signed-in person.

`action` names what the page is for. By default the person must be allowed to do it now;
`any_phase=True` asks whether they are concerned at all (policy.concerns), for pages that
explain when it opens or why it is closed instead of refusing.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from budget.extensions import db
from budget.models import (BudgetCycle, Commune, Envelope, Intercommunality, PaperBatch,
                           ProjectTracking, Proposal, TrackingMilestone)
from budget.services import reading
from budget.services import census, cycles, paper, policy, tracking_read
from budget.services.policy import Action


def _authorise(action: Action | None, any_phase: bool, cycle: BudgetCycle, target=None) -> None:
    if action is None:
        return
    allowed = policy.concerns if any_phase else policy.can
    if not allowed(current_user, action, cycle, target):
        abort(403)


def cycle(cycle_id: int, action: Action | None = None, any_phase: bool = False) -> BudgetCycle:
    """The cycle; with `action`, one the person may do it in."""
    found = cycles.get_cycle(cycle_id) or abort(404)
    _authorise(action, any_phase, found)
    return found


def place_of_new_cycle(intercommunality_id: int,
                       commune_id: int | None) -> tuple[Intercommunality, Commune | None]:
    """Where the person creates a cycle: the intercommunalité, and with `commune_id` one of
    its communes (that commune's own cycle)."""
    territory = db.session.get(Intercommunality, intercommunality_id) or abort(404)
    commune = None
    if commune_id is not None:
        commune = db.session.get(Commune, commune_id)
        if commune is None or commune.intercommunality_id != territory.id:
            abort(404)
    if not policy.can_create_cycle(current_user, territory, commune):
        abort(403)
    return territory, commune


def proposal(proposal_id: int, action: Action | None = None,
             any_phase: bool = False) -> Proposal:
    """The proposal; with `action`, one the person may do it to."""
    found = db.session.get(Proposal, proposal_id) or abort(404)
    _authorise(action, any_phase, found.cycle, found)
    return found


def readable_proposal(proposal_id: int) -> Proposal:
    """The proposal, if the person may read it: 404 otherwise, as for no proposal at all (its
    existence is not told)."""
    found = db.session.get(Proposal, proposal_id) or abort(404)
    if not reading.may_read_proposal(current_user, found):
        abort(404)
    return found


def own_proposal(proposal_id: int) -> Proposal:
    """A proposal of the signed-in person (its author alone changes its text and photos)."""
    found = db.session.get(Proposal, proposal_id) or abort(404)
    if found.author_id != current_user.id:
        abort(403)
    return found


def commune(cycle: BudgetCycle, commune_id: int, action: Action) -> Commune:
    """A commune the person does `action` for in `cycle`, in some phase."""
    found = db.session.get(Commune, commune_id) or abort(404)
    _authorise(action, True, cycle, found)
    return found


def communes_offered(cycle: BudgetCycle, action: Action, field) -> list[Commune]:
    """The communes of `cycle` where the person does `action`, in some phase (403 when none),
    offered in the form's select `field` (chosen already when there is only one)."""
    communes = [c for c in census.voting_communes(cycle)
                if policy.concerns(current_user, action, cycle, c)]
    if not communes:
        abort(403)
    field.choices = [SelectChoice(c.id, c.name) for c in communes]
    if len(communes) == 1 and field.data is None:
        field.data = communes[0].id
    return communes


def envelope(cycle: BudgetCycle, envelope_id: int, action: Action) -> Envelope:
    """One of the cycle's envelopes the person does `action` to, in some phase."""
    found = next((e for e in cycle.envelopes if e.id == envelope_id), None) or abort(404)
    _authorise(action, True, cycle, found)
    return found


def paper_batch(batch_id: int) -> PaperBatch:
    """A batch of paper ballots the person types or validates."""
    found = db.session.get(PaperBatch, batch_id) or abort(404)
    if not paper.may_see(current_user, found):
        abort(403)
    return found


def tracking(proposal_id: int) -> ProjectTracking:
    """A winning project's tracking record, that the person updates (policy UPDATE_TRACKING:
    the staff of the body that delivers it); 404 when the proposal has none."""
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    found = tracking_read.of_proposal(proposal) or abort(404)
    _authorise(Action.UPDATE_TRACKING, False, found.cycle, found)
    return found


def tracking_milestone(milestone_id: int) -> TrackingMilestone:
    """A milestone of a tracking record the person updates."""
    found = db.session.get(TrackingMilestone, milestone_id) or abort(404)
    _authorise(Action.UPDATE_TRACKING, False, found.tracking.cycle, found.tracking)
    return found
