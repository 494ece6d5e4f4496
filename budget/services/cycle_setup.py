"""Staff set up a budget cycle: create it with its envelopes, and edit it until the vote opens.

A draft is plain data (dates already in naive UTC, amounts in whole euros); every rule it
breaks is reported at once, each with the name of its form field, and nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from budget.domain.ballot_rules import VOTE_FORMATS, vote_format_from
from budget.domain.discussion import DEFAULT_COMMENT_PHASES, check_comment_phases
from budget.domain.errors import DomainError, InvalidSetup
from budget.domain.phases import Schedule
from budget.domain.proposals import MAX_COST
from budget.domain.supports import Threshold, ThresholdKind
from budget.domain.tally import RULES, offered_rules
from budget.extensions import db
from budget.models import BudgetCycle, Commune, Envelope, Intercommunality, Role
from budget.models.time import utcnow
from budget.services import audit, cycles, policy
from budget.services.transaction import use_case

# Every rule a cycle may announce, whatever its vote format (the registry says which).
OFFERED_RULES = tuple(name for name, rule in RULES.items() if rule.offered)
MAX_TITLE = 200


def rules_for(vote_format: str) -> tuple[str, ...]:
    """The tally rules that apply to ballots of this vote format, in the order offered (none
    for an unknown format)."""
    known = VOTE_FORMATS.get(vote_format)
    return offered_rules(known.vote_type) if known else ()


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
    intercommunal_amount: int | None  # None for a commune's own cycle
    commune_amounts: dict[int, int] = field(default_factory=dict)
    total_amount: int | None = None  # the sum agreed for all envelopes; None: no cap
    # The phases in which residents comment on proposals (Phase values; none: no comments).
    comment_phases: tuple[str, ...] = DEFAULT_COMMENT_PHASES
    # The optional supports phase, between proposals and review (None: none), and which
    # proposals it sends to review (domain.supports: "none", "count" or "top", and N).
    supports_start: datetime | None = None
    support_threshold_kind: str = "none"
    support_threshold_value: int | None = None


def commune_field(commune_id: int) -> str:
    """The form field of a commune's envelope amount."""
    return f"amount_{commune_id}"


def problems(draft: CycleDraft, intercommunality: Intercommunality,
             commune: Commune | None = None) -> list[DomainError]:
    """Every rule the draft breaks, in the order of the form (empty when it is valid).
    `commune`: the commune whose own cycle this is (one envelope, no intercommunal one)."""
    found = []
    if not draft.title.strip() or len(draft.title.strip()) > MAX_TITLE:
        found.append(DomainError("Give the cycle a title (at most 200 characters).",
                                 field="title"))
    found += Schedule(draft.proposals_start, draft.review_start, draft.vote_start,
                      draft.vote_end, draft.supports_start).problems()
    if draft.vote_start <= utcnow():
        # Saving would open the vote at once, and freeze a ballot nobody has checked.
        found.append(DomainError("The vote must open later than now: once it opens, the "
                                 "ballot is frozen.", field="vote_start"))
    try:
        vote_format_from(draft.vote_format, draft.vote_params)
    except DomainError as error:
        found.append(error)
    if draft.tally_rule not in rules_for(draft.vote_format):
        found.append(DomainError("Choose a tally rule that applies to this vote format.",
                                 field="tally_rule"))
    communes = [commune] if commune else intercommunality.communes
    amounts = [] if commune else [("intercommunal_amount", draft.intercommunal_amount)]
    amounts += [(commune_field(c.id), draft.commune_amounts.get(c.id)) for c in communes]
    for name, amount in amounts:
        if not _is_amount(amount):
            found.append(DomainError("Each envelope needs a whole number of euros between 1 "
                                     "and 100,000,000.", field=name))
    strangers = set(draft.commune_amounts) - {c.id for c in communes}
    if strangers:
        found.append(DomainError("An amount was given for a commune outside this "
                                 "intercommunality."))
    if draft.total_amount is not None:
        if not _is_amount(draft.total_amount):
            found.append(DomainError("The total needs a whole number of euros between 1 and "
                                     "100,000,000.", field="total_amount"))
        elif all(_is_amount(amount) for _, amount in amounts) and \
                sum(amount for _, amount in amounts) > draft.total_amount:
            found.append(over_total(sum(amount for _, amount in amounts), draft.total_amount,
                                    "total_amount"))
    try:
        check_comment_phases(draft.comment_phases)
    except DomainError as error:
        found.append(error)
    found += _threshold_problems(draft)
    return found


def _threshold_problems(draft: CycleDraft) -> list[DomainError]:
    try:
        threshold = Threshold.checked(draft.support_threshold_kind,
                                      draft.support_threshold_value)
    except DomainError as error:
        return [error]
    if threshold.kind != ThresholdKind.NONE and draft.supports_start is None:
        return [DomainError("A threshold needs a supports phase: give its start date, or "
                            "choose no threshold.", field="support_threshold")]
    return []


def _is_amount(amount) -> bool:
    return isinstance(amount, int) and 1 <= amount <= MAX_COST


def over_total(total: int, agreed: int, field_name: str) -> DomainError:
    return DomainError("The envelopes add up to %(total)s, more than the %(agreed)s "
                       "agreed for the cycle.", field=field_name, total=total, agreed=agreed)


def _validate(draft: CycleDraft, intercommunality: Intercommunality,
              commune: Commune | None = None) -> None:
    found = problems(draft, intercommunality, commune)
    if found:
        raise InvalidSetup(found)


def _apply(cycle: BudgetCycle, draft: CycleDraft) -> None:
    cycle.title = draft.title.strip()
    cycle.description = draft.description.strip()
    cycle.proposals_start, cycle.review_start = draft.proposals_start, draft.review_start
    cycle.vote_start, cycle.vote_end = draft.vote_start, draft.vote_end
    cycle.supports_start = draft.supports_start
    cycle.support_threshold = Threshold.checked(draft.support_threshold_kind,
                                                draft.support_threshold_value).as_params()
    if cycle.vote_format != draft.vote_format:
        for envelope in cycle.envelopes:  # a commune's limits belonged to the old format
            envelope.vote_params = None
    cycle.vote_format = draft.vote_format
    cycle.vote_params = dict(vote_format_from(draft.vote_format, draft.vote_params).as_params())
    cycle.tally_rule = draft.tally_rule
    cycle.total_amount = draft.total_amount
    cycle.comment_phases = list(check_comment_phases(draft.comment_phases))
    existing = {envelope.commune_id: envelope for envelope in cycle.envelopes}
    wanted = dict(draft.commune_amounts)
    if cycle.commune_id is None:
        wanted[None] = draft.intercommunal_amount
    for commune_id, amount in wanted.items():
        if commune_id in existing:
            existing[commune_id].amount = amount
        else:
            db.session.add(Envelope(cycle=cycle, commune_id=commune_id, amount=amount))


@use_case
def create_cycle(user, intercommunality: Intercommunality, draft: CycleDraft,
                 commune: Commune | None = None) -> BudgetCycle:
    """Create the cycle, its intercommunal envelope and one envelope per commune (with
    `commune`: that commune's own cycle, its envelope only); one commit. Raises NotAllowed, or
    InvalidSetup listing every problem (nothing is written)."""
    policy.check_create_cycle(user, intercommunality, commune)
    _validate(draft, intercommunality, commune)
    cycle = BudgetCycle(intercommunality=intercommunality,
                        commune_id=commune.id if commune else None)
    db.session.add(cycle)
    _apply(cycle, draft)
    audit.record(user, "cycle.create", cycle, after=audit.cycle_state(cycle))
    return cycle


def _lock_amounts(cycle: BudgetCycle) -> int | None:
    """Take the cycle's row lock until the commit, so that saves of its envelope amounts run
    one after the other, each seeing the amounts the one before committed; returns the total
    agreed as it is now. Without it, two communes' staff saving at once on PostgreSQL each
    read the other's old amount and both passed the total check. On SQLite the write
    transaction begins at once instead (one writer at a time; FOR UPDATE is not rendered)."""
    cycles.lock(cycle)
    return db.session.scalar(select(BudgetCycle.total_amount).where(BudgetCycle.id == cycle.id))


@use_case
def update_cycle(user, cycle: BudgetCycle, draft: CycleDraft) -> None:
    """Change the cycle's configuration until its vote opens; one commit. Raises NotAllowed,
    WrongPhase (from the vote start on, the configuration is frozen) or InvalidSetup."""
    _lock_amounts(cycle)
    policy.check(user, policy.Action.CONFIGURE_CYCLE, cycle)
    _validate(draft, cycle.intercommunality, cycle.commune)
    before = audit.cycle_state(cycle)
    _apply(cycle, draft)
    audit.record(user, "cycle.update", cycle, before=before, after=audit.cycle_state(cycle))


# A commune's staff set their envelope's limits: the parameters of the cycle's vote format.
LIMITS = {"approval": ("min_choices", "max_choices"), "knapsack": ("min_share_percent",),
          "cumulative": ("total_points", "max_per_project")}


@use_case
def configure_envelope(user, envelope: Envelope, amount: int, limits: dict) -> None:
    """Set a commune's part of a cycle: its envelope's amount (within the total agreed for
    the cycle) and its ballot limits (`limits`: the vote format's parameters; empty: the
    cycle's). One commit; raises NotAllowed, WrongPhase or InvalidSetup (nothing written)."""
    cycle = envelope.cycle
    agreed = _lock_amounts(cycle)
    policy.check(user, policy.Action.CONFIGURE_ENVELOPE, cycle, envelope)
    found = []
    if not _is_amount(amount):
        found.append(DomainError("Each envelope needs a whole number of euros between 1 and "
                                 "100,000,000.", field="amount"))
    elif agreed is not None:
        # Summed by the database after the lock: the amounts loaded earlier may be stale.
        total = amount + db.session.scalar(
            select(func.coalesce(func.sum(Envelope.amount), 0))
            .where(Envelope.cycle_id == cycle.id, Envelope.id != envelope.id))
        if total > agreed:
            found.append(over_total(total, agreed, "amount"))
    if set(limits) - set(LIMITS.get(cycle.vote_format, ())):
        found.append(DomainError("Invalid vote format parameters.", field="vote_format"))
    else:
        try:
            vote_format_from(cycle.vote_format, {**cycle.vote_params, **limits})
        except DomainError as error:
            found.append(error)
    if found:
        raise InvalidSetup(found)
    before = {"amount": envelope.amount, "vote_params": envelope.vote_params}
    envelope.amount = amount
    envelope.vote_params = dict(limits) or None
    audit.record(user, "envelope.configure", envelope, before=before,
                 after={"amount": envelope.amount, "vote_params": envelope.vote_params})


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
