"""Who may do what, in which phase: one table, asked by views and templates alike."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from budget.domain.errors import EmailNotVerified, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.models import BudgetCycle, Intercommunality, Role


class Action(str, enum.Enum):
    SUBMIT_PROPOSAL = "submit_proposal"
    EDIT_PROPOSAL = "edit_proposal"
    WITHDRAW_PROPOSAL = "withdraw_proposal"
    REVIEW_PROPOSAL = "review_proposal"
    VOTE = "vote"
    CLOSE_VOTE = "close_vote"
    RUN_TALLY = "run_tally"
    PUBLISH_RESULTS = "publish_results"
    PREVIEW_RESULTS = "preview_results"
    MANAGE_CYCLE = "manage_cycle"
    SIMULATE = "simulate"
    CONFIGURE_CYCLE = "configure_cycle"


ALL_PHASES = frozenset(Phase)
EVERYONE_SIGNED_IN = frozenset(Role)
STAFF = frozenset({Role.STAFF, Role.ADMIN})
STAFF_AND_COUNCIL = frozenset({Role.STAFF, Role.COUNCIL, Role.ADMIN})


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    phases: frozenset
    scope: str  # "resident": lives in the territory; "author": wrote it; "territory": works there


POLICY: dict[Action, Rule] = {
    Action.SUBMIT_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}), "resident"),
    Action.EDIT_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}), "author"),
    Action.WITHDRAW_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}), "author"),
    Action.REVIEW_PROPOSAL: Rule(STAFF, frozenset({Phase.PROPOSALS, Phase.REVIEW}), "territory"),
    Action.VOTE: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.VOTE}), "resident"),
    Action.CLOSE_VOTE: Rule(STAFF, frozenset({Phase.VOTE}), "territory"),
    Action.RUN_TALLY: Rule(STAFF, frozenset({Phase.COUNTING}), "territory"),
    Action.PUBLISH_RESULTS: Rule(STAFF, frozenset({Phase.COUNTING}), "territory"),
    Action.PREVIEW_RESULTS: Rule(STAFF_AND_COUNCIL, frozenset({Phase.COUNTING}), "territory"),
    Action.MANAGE_CYCLE: Rule(STAFF, ALL_PHASES, "territory"),
    Action.SIMULATE: Rule(STAFF, frozenset({Phase.COUNTING}), "territory"),
    # Until the vote opens; from then on the cycle's configuration is frozen.
    Action.CONFIGURE_CYCLE: Rule(STAFF, frozenset({Phase.UPCOMING, Phase.PROPOSALS,
                                                   Phase.REVIEW}), "territory"),
}

# What a resident does in person needs a confirmed email address (one address, one person).
NEEDS_VERIFIED_EMAIL = frozenset({Action.VOTE, Action.SUBMIT_PROPOSAL})


@dataclass(frozen=True)
class SystemOperator:
    """The actor of command-line jobs (`flask budget ...`): an operator, not a person.

    It may act wherever an admin may (role ADMIN), in the phases the table allows: nobody, not
    even the operator, tallies during the vote. It has no account (id None: a run it stores has
    no `created_by_id`), no home commune, so it never acts as a resident or as an author.
    """

    role: Role = Role.ADMIN
    id: None = None
    home_commune_id: None = None
    home_commune: None = None
    display_name: str = "system operator"
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False
    is_staff: bool = True
    email_verified: bool = True


SYSTEM_OPERATOR = SystemOperator()


def _in_scope(user, rule: Rule, cycle: BudgetCycle, target) -> bool:
    if rule.scope == "author":
        return target is not None and target.author_id == user.id
    if user.role == Role.ADMIN and rule.scope == "territory":
        return True
    return _lives_or_works_in(user, cycle.intercommunality_id)


def _lives_or_works_in(user, intercommunality_id: int) -> bool:
    commune = user.home_commune
    return commune is not None and commune.intercommunality_id == intercommunality_id


def check(user, action: Action, cycle: BudgetCycle, target=None) -> None:
    """Raise NotAllowed or WrongPhase unless `user` may do `action` on `cycle` now."""
    rule = POLICY[action]
    if user is None or not user.is_authenticated:
        raise NotAllowed("Sign in to continue.")
    if user.role not in rule.roles or not _in_scope(user, rule, cycle, target):
        if rule.scope == "resident":
            raise NotAllowed("This budget cycle is for the residents of %(territory)s.",
                             territory=cycle.intercommunality.name)
        raise NotAllowed("You are not allowed to do this.")
    if cycle.phase() not in rule.phases:
        raise WrongPhase("This cannot be done in the current phase of the cycle.")
    if action in NEEDS_VERIFIED_EMAIL and not user.email_verified:
        raise EmailNotVerified("Confirm your email address first: open the link we emailed "
                               "you, or ask for a new one.")


def can(user, action: Action, cycle: BudgetCycle, target=None) -> bool:
    try:
        check(user, action, cycle, target)
    except (NotAllowed, WrongPhase):
        return False
    return True


def check_create_cycle(user, intercommunality: Intercommunality) -> None:
    """Raise NotAllowed unless `user` may create a cycle in `intercommunality`: whoever may
    configure its cycles (CONFIGURE_CYCLE's roles and territory scope; a new cycle has no
    phase yet)."""
    rule = POLICY[Action.CONFIGURE_CYCLE]
    if user is None or not user.is_authenticated:
        raise NotAllowed("Sign in to continue.")
    if user.role not in rule.roles or not (
            user.role == Role.ADMIN or _lives_or_works_in(user, intercommunality.id)):
        raise NotAllowed("You are not allowed to do this.")


def can_create_cycle(user, intercommunality: Intercommunality) -> bool:
    try:
        check_create_cycle(user, intercommunality)
    except NotAllowed:
        return False
    return True
