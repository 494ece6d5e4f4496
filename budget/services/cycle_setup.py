"""Staff set up a budget cycle: create it with its envelopes, and edit it until the vote opens.

A draft is plain data (dates already in naive UTC, amounts in whole euros); every rule it
breaks is reported at once, each with the name of its form field, and nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from budget.domain.ballot_rules import vote_format_from
from budget.domain.errors import DomainError, InvalidSetup
from budget.domain.phases import Schedule
from budget.domain.proposals import MAX_COST
from budget.domain.tally.registry import RULES
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, Intercommunality, Role
from budget.services import audit, policy

# The rules a cycle may announce, for every vote format; mes-points needs points to share.
TALLY_RULES = ("greedy", "mes-add1", "mes-greedy", "mes", "greedy-cardinality", "phragmen",
               "max-welfare")
POINTS_RULES = ("mes-points",)
assert set(TALLY_RULES + POINTS_RULES) <= set(RULES)
MAX_TITLE = 200


def rules_for(vote_format: str) -> tuple[str, ...]:
    """The tally rules that apply to ballots of this vote format, in the order offered."""
    return TALLY_RULES + POINTS_RULES if vote_format == "cumulative" else TALLY_RULES


@dataclass
class CycleDraft:
    """What staff entered. Dates: naive UTC. `commune_amounts`: commune id -> euros."""

    title: str
    description: str
    proposals_start: datetime
    review_start: datetime
    vote_start: datetime
    vote_end: datetime
    vote_format: str
    vote_params: dict
    tally_rule: str
    intercommunal_amount: int
    commune_amounts: dict[int, int] = field(default_factory=dict)


def commune_field(commune_id: int) -> str:
    """The form field of a commune's envelope amount."""
    return f"amount_{commune_id}"


def problems(draft: CycleDraft, intercommunality: Intercommunality) -> list[DomainError]:
    """Every rule the draft breaks, in the order of the form (empty when it is valid)."""
    found = []
    if not draft.title.strip() or len(draft.title.strip()) > MAX_TITLE:
        found.append(DomainError("Give the cycle a title (at most 200 characters).",
                                 field="title"))
    found += Schedule(draft.proposals_start, draft.review_start, draft.vote_start,
                      draft.vote_end).problems()
    try:
        vote_format_from(draft.vote_format, draft.vote_params)
    except DomainError as error:
        found.append(error)
    if draft.tally_rule not in rules_for(draft.vote_format):
        found.append(DomainError("Choose a tally rule that applies to this vote format.",
                                 field="tally_rule"))
    amounts = [("intercommunal_amount", draft.intercommunal_amount)] + [
        (commune_field(commune.id), draft.commune_amounts.get(commune.id))
        for commune in intercommunality.communes]
    for name, amount in amounts:
        if not isinstance(amount, int) or not 1 <= amount <= MAX_COST:
            found.append(DomainError("Each envelope needs a whole number of euros between 1 "
                                     "and 100 000 000.", field=name))
    strangers = set(draft.commune_amounts) - {c.id for c in intercommunality.communes}
    if strangers:
        found.append(DomainError("An amount was given for a commune outside this "
                                 "intercommunality."))
    return found


def _validate(draft: CycleDraft, intercommunality: Intercommunality) -> None:
    found = problems(draft, intercommunality)
    if found:
        raise InvalidSetup(found)


def _apply(cycle: BudgetCycle, draft: CycleDraft) -> None:
    cycle.title = draft.title.strip()
    cycle.description = draft.description.strip()
    cycle.proposals_start, cycle.review_start = draft.proposals_start, draft.review_start
    cycle.vote_start, cycle.vote_end = draft.vote_start, draft.vote_end
    cycle.vote_format = draft.vote_format
    cycle.vote_params = dict(vote_format_from(draft.vote_format, draft.vote_params).as_params())
    cycle.tally_rule = draft.tally_rule
    existing = {envelope.commune_id: envelope for envelope in cycle.envelopes}
    wanted = {None: draft.intercommunal_amount, **draft.commune_amounts}
    for commune_id, amount in wanted.items():
        if commune_id in existing:
            existing[commune_id].amount = amount
        else:
            db.session.add(Envelope(cycle=cycle, commune_id=commune_id, amount=amount))


def create_cycle(user, intercommunality: Intercommunality, draft: CycleDraft) -> BudgetCycle:
    """Create the cycle, its intercommunal envelope and one envelope per commune; one commit.
    Raises NotAllowed, or InvalidSetup listing every problem (nothing is written)."""
    policy.check_create_cycle(user, intercommunality)
    _validate(draft, intercommunality)
    cycle = BudgetCycle(intercommunality=intercommunality)
    db.session.add(cycle)
    _apply(cycle, draft)
    audit.record(user, "cycle.create", cycle, after=audit.cycle_state(cycle))
    db.session.commit()
    return cycle


def update_cycle(user, cycle: BudgetCycle, draft: CycleDraft) -> None:
    """Change the cycle's configuration until its vote opens; one commit. Raises NotAllowed,
    WrongPhase (from the vote start on, the configuration is frozen) or InvalidSetup."""
    policy.check(user, policy.Action.CONFIGURE_CYCLE, cycle)
    _validate(draft, cycle.intercommunality)
    before = audit.cycle_state(cycle)
    _apply(cycle, draft)
    audit.record(user, "cycle.update", cycle, before=before, after=audit.cycle_state(cycle))
    db.session.commit()


def territories_for(user) -> list[Intercommunality]:
    """The intercommunalités where `user` works on cycles: an admin's are all of them."""
    if user.role == Role.ADMIN:
        return list(db.session.scalars(select(Intercommunality)
                                       .order_by(Intercommunality.name)))
    if not user.is_staff or user.workplace_intercommunality_id is None:
        return []
    return [db.session.get(Intercommunality, user.workplace_intercommunality_id)]


def cycles_of(user, intercommunality: Intercommunality) -> list[BudgetCycle]:
    """The territory's cycles `user` has a part in: commune staff see the intercommunal cycles
    and their own commune's, not the other communes' own cycles."""
    query = (select(BudgetCycle).where(BudgetCycle.intercommunality_id == intercommunality.id)
             .order_by(BudgetCycle.proposals_start.desc()))
    if user.role == Role.COMMUNE_STAFF:
        query = query.where(BudgetCycle.commune_id.is_(None)
                            | (BudgetCycle.commune_id == user.works_for_commune_id))
    return list(db.session.scalars(query))
