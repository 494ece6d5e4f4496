"""Who may do what, in which phase: one table, asked by views and templates alike."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from types import SimpleNamespace

from budget.domain.errors import EmailNotVerified, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.models import BudgetCycle, Commune, Intercommunality, Role
from budget.services import blocks
from budget.services.system_operator import SYSTEM_OPERATOR, SystemOperator  # noqa: F401


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
    CONFIGURE_ENVELOPE = "configure_envelope"
    MANAGE_ELIGIBILITY = "manage_eligibility"
    RECORD_PAPER_VOTER = "record_paper_voter"
    ENTER_PAPER_BALLOTS = "enter_paper_ballots"
    SEE_TURNOUT = "see_turnout"
    UPDATE_TRACKING = "update_tracking"
    RECORD_ADOPTION = "record_adoption"
    MANAGE_THEMES = "manage_themes"
    COMMENT = "comment"
    REPORT = "report"
    MODERATE = "moderate"
    EDIT_CHARTER = "edit_charter"
    FOLLOW = "follow"
    SUPPORT = "support"
    CLOSE_SUPPORTS = "close_supports"
    EVALUATE_PROJECT = "evaluate_project"
    PUBLISH_EVALUATION = "publish_evaluation"
    RUN_POLLING_STATION = "run_polling_station"


ALL_PHASES = frozenset(Phase)
EVERYONE_SIGNED_IN = frozenset(Role)
STAFF = frozenset({Role.COMMUNE_STAFF, Role.STAFF, Role.ADMIN})
STAFF_AND_COUNCIL = STAFF | {Role.COUNCIL}
UNTIL_VOTE = frozenset({Phase.UPCOMING, Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW})


class Scope(str, enum.Enum):
    """Whose business an action is, besides the role. Admins work everywhere."""

    RESIDENT = "resident"  # lives where the cycle is held
    NEIGHBOUR = "neighbour"  # RESIDENT, and of the target's commune when it has one
    AUTHOR = "author"  # wrote the proposal
    CYCLE = "cycle"  # works for the cycle's holder: its intercommunalité, or its commune
    PART = "part"  # CYCLE, or works for a commune that has an envelope in the cycle
    COMMUNE = "commune"  # works for the commune the target belongs to, or for its EPCI
    ANYONE = "anyone"  # whoever is signed in


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    phases: frozenset
    scope: Scope
    # The cycle's attribute listing, among `phases`, those staff opened it in (Phase values).
    chosen_phases: str | None = None


POLICY: dict[Action, Rule] = {
    Action.SUBMIT_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}), Scope.RESIDENT),
    Action.EDIT_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}), Scope.AUTHOR),
    Action.WITHDRAW_PROPOSAL: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.PROPOSALS}),
                                   Scope.AUTHOR),
    Action.REVIEW_PROPOSAL: Rule(STAFF, frozenset({Phase.PROPOSALS, Phase.SUPPORTS,
                                                   Phase.REVIEW}),
                                 Scope.COMMUNE),
    Action.VOTE: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.VOTE}), Scope.RESIDENT),
    Action.CLOSE_VOTE: Rule(STAFF, frozenset({Phase.VOTE}), Scope.CYCLE),
    Action.RUN_TALLY: Rule(STAFF, frozenset({Phase.COUNTING}), Scope.CYCLE),
    Action.PUBLISH_RESULTS: Rule(STAFF, frozenset({Phase.COUNTING}), Scope.CYCLE),
    Action.PREVIEW_RESULTS: Rule(STAFF_AND_COUNCIL, frozenset({Phase.COUNTING}), Scope.CYCLE),
    Action.MANAGE_CYCLE: Rule(STAFF, ALL_PHASES, Scope.PART),
    Action.SIMULATE: Rule(STAFF, frozenset({Phase.COUNTING}), Scope.CYCLE),
    # Until the vote opens; from then on the cycle's configuration is frozen.
    # The cycle: dates, vote format, rule, the intercommunal envelope.
    Action.CONFIGURE_CYCLE: Rule(STAFF, UNTIL_VOTE, Scope.CYCLE),
    # A commune's part of the cycle: its envelope's amount and ballot limits.
    Action.CONFIGURE_ENVELOPE: Rule(STAFF, UNTIL_VOTE, Scope.COMMUNE),
    # A commune's census list and access codes (the target is the commune). Also during the
    # vote: a resident missing from the list or who lost their letter can still be added.
    Action.MANAGE_ELIGIBILITY: Rule(STAFF, UNTIL_VOTE | {Phase.VOTE}, Scope.COMMUNE),
    # Recording that an identified person of the commune voted on paper.
    Action.RECORD_PAPER_VOTER: Rule(STAFF, frozenset({Phase.VOTE}), Scope.COMMUNE),
    # A commune's paper ballots: typed while the vote is open (polling stations close with
    # it) and while it is counted, as long as no tally has been run (services/paper.py).
    Action.ENTER_PAPER_BALLOTS: Rule(STAFF, frozenset({Phase.VOTE, Phase.COUNTING}),
                                     Scope.COMMUNE),
    # How many voted, per commune and channel (services/turnout.py), never what: while the
    # vote is open and until the results are out.
    Action.SEE_TURNOUT: Rule(STAFF, frozenset({Phase.VOTE, Phase.COUNTING}), Scope.PART),
    # A winning project's delivery (services/tracking.py), once the results are out: the staff
    # of the body that delivers it (the target is its tracking record: its delivering commune,
    # or the intercommunalité's staff alone when the intercommunalité delivers it).
    Action.UPDATE_TRACKING: Rule(STAFF, frozenset({Phase.RESULTS}), Scope.COMMUNE),
    # A council's decision on the published results (services/adoption.py): the target is the
    # commune whose conseil municipal decided, None for the conseil communautaire (then only
    # the intercommunalité's staff).
    Action.RECORD_ADOPTION: Rule(STAFF, frozenset({Phase.RESULTS}), Scope.COMMUNE),
    # The cycle's themes (services/themes.py): they help residents find proposals and change
    # nothing in the vote, so the cycle's staff may adjust them in any phase.
    Action.MANAGE_THEMES: Rule(STAFF, ALL_PHASES, Scope.CYCLE),
    # Residents discuss a proposal in the phases staff chose (cycle.comment_phases), unless
    # blocked in its territory (services/moderation.py); they read comments wherever they
    # read the proposal (may_read_comments).
    Action.COMMENT: Rule(EVERYONE_SIGNED_IN, ALL_PHASES - {Phase.UPCOMING}, Scope.RESIDENT,
                         chosen_phases="comment_phases"),
    # Reporting a comment or a proposal one can read (the view checks may_read_proposal).
    Action.REPORT: Rule(EVERYONE_SIGNED_IN, ALL_PHASES, Scope.ANYONE),
    # Hiding, restoring comments, dismissing reports and blocking commenters: the staff of
    # the proposal's commune, or of the intercommunalité.
    Action.MODERATE: Rule(STAFF, ALL_PHASES, Scope.COMMUNE),
    Action.EDIT_CHARTER: Rule(STAFF, ALL_PHASES, Scope.CYCLE),
    # Following a proposal one can read (services/follows.py also checks may_read_proposal):
    # on the account, never on a ballot.
    Action.FOLLOW: Rule(EVERYONE_SIGNED_IN, ALL_PHASES, Scope.ANYONE),
    # Supporting a proposal (services/supports.py), during the cycle's supports phase only: a
    # resident of the cycle's territory, and of the proposal's commune for a commune's one.
    Action.SUPPORT: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.SUPPORTS}), Scope.NEIGHBOUR),
    # Applying the threshold once the supports phase is over (services/support_close.py).
    Action.CLOSE_SUPPORTS: Rule(STAFF, frozenset({Phase.REVIEW}), Scope.CYCLE),
    # Evaluating a delivered winner (services/evaluation.py, which also asks that it is
    # delivered and less than a year ago): the target is the proposal, so residents of its
    # commune, or of the intercommunalité for an intercommunal project, as for SUPPORT.
    Action.EVALUATE_PROJECT: Rule(EVERYONE_SIGNED_IN, frozenset({Phase.RESULTS}),
                                  Scope.NEIGHBOUR),
    # Its evaluation text: the staff of the proposal's commune, or of the intercommunalité.
    Action.PUBLISH_EVALUATION: Rule(STAFF, frozenset({Phase.RESULTS}), Scope.COMMUNE),
    Action.RUN_POLLING_STATION: Rule(STAFF, frozenset({Phase.VOTE}), Scope.COMMUNE),  # kiosks
}

# What a resident does in person needs a confirmed email address (one address, one person).
NEEDS_VERIFIED_EMAIL = frozenset({Action.VOTE, Action.SUBMIT_PROPOSAL, Action.COMMENT,
                                  Action.FOLLOW, Action.SUPPORT, Action.EVALUATE_PROJECT})




def _in_scope(user, scope: Scope, cycle: BudgetCycle, target) -> bool:
    if scope == Scope.ANYONE:
        return True
    if scope == Scope.AUTHOR:
        return user.id is not None and getattr(target, "author_id", None) == user.id
    if scope == Scope.RESIDENT:
        return lives_in(user, cycle)
    if scope == Scope.NEIGHBOUR:
        return lives_in(user, cycle) and _commune_of(target) in (None, user.home_commune_id)
    if user.role == Role.ADMIN:
        return True
    if scope == Scope.CYCLE:
        return works_for_cycle(user, cycle)
    if scope == Scope.PART:
        return works_for_cycle(user, cycle) or (
            user.role == Role.COMMUNE_STAFF
            and any(e.commune_id == user.works_for_commune_id for e in cycle.envelopes))
    return _works_for_commune(user, cycle, _commune_of(target))


def lives_in(user, cycle: BudgetCycle) -> bool:
    """Whether `user` is a resident of the territory where `cycle` is held."""
    commune = user.home_commune
    if commune is None:
        return False
    if cycle.commune_id is not None:
        return commune.id == cycle.commune_id
    return commune.intercommunality_id == cycle.intercommunality_id


def works_for_cycle(user, cycle: BudgetCycle) -> bool:
    """Staff or council of the cycle's intercommunalité; commune staff of a commune's cycle."""
    if user.role == Role.COMMUNE_STAFF:
        return cycle.commune_id is not None and cycle.commune_id == user.works_for_commune_id
    if user.role in (Role.STAFF, Role.COUNCIL):
        return user.works_for_intercommunality_id == cycle.intercommunality_id
    return user.role == Role.ADMIN


def _commune_of(target) -> int | None:
    """The commune an action's target belongs to: a tracking record's delivering commune, an
    envelope's, a proposal's envelope's, or the id of a commune itself. None for the
    intercommunal envelope and its proposals (and a project the intercommunalité delivers)."""
    if target is None:
        return None
    if hasattr(target, "delivering_commune_id"):  # a tracking record: who delivers it
        return target.delivering_commune_id
    if hasattr(target, "envelope"):  # a proposal
        target = target.envelope
    if hasattr(target, "commune_id"):  # an envelope
        return target.commune_id
    return target.id  # a commune


def _works_for_commune(user, cycle: BudgetCycle, commune_id: int | None) -> bool:
    if user.role == Role.STAFF:
        return user.works_for_intercommunality_id == cycle.intercommunality_id
    if user.role == Role.COMMUNE_STAFF:
        return commune_id is not None and commune_id == user.works_for_commune_id
    return False


def check(user, action: Action, cycle: BudgetCycle, target=None) -> None:
    """Raise NotAllowed or WrongPhase unless `user` may do `action` on `cycle` now."""
    rule = POLICY[action]
    if user is None or not user.is_authenticated:
        raise NotAllowed("Sign in to continue.")
    if user.role not in rule.roles or not _in_scope(user, rule.scope, cycle, target):
        if rule.scope == Scope.RESIDENT or (rule.scope == Scope.NEIGHBOUR
                                            and not lives_in(user, cycle)):
            raise NotAllowed("This budget cycle is for the residents of %(territory)s.",
                             territory=cycle.intercommunality.name)
        if rule.scope == Scope.NEIGHBOUR:
            raise NotAllowed("Only the residents of its commune may support this proposal.")
        raise NotAllowed("You are not allowed to do this.")
    phase = cycle.phase()
    if phase not in rule.phases or (
            rule.chosen_phases and phase.value not in getattr(cycle, rule.chosen_phases)):
        raise WrongPhase("This cannot be done in the current phase of the cycle.")
    if action in NEEDS_VERIFIED_EMAIL and not user.email_verified:
        raise EmailNotVerified("Confirm your email address first: open the link we emailed "
                               "you, or ask for a new one.")
    if action == Action.COMMENT and blocks.is_blocked(user, cycle, target):
        raise NotAllowed("The moderators of this territory have blocked your account from "
                         "commenting.")


def concerns(user, action: Action, cycle: BudgetCycle, target=None) -> bool:
    """Whether `action` on `target` is `user`'s business, whatever the phase: a view answers
    403 when it is not, and says when it can be done when only the phase is wrong."""
    rule = POLICY[action]
    return (user is not None and user.is_authenticated and user.role in rule.roles
            and _in_scope(user, rule.scope, cycle, target))


def may_ever(user, action: Action) -> bool:
    """Whether `user`'s role may do `action` on some cycle, in some phase."""
    return user is not None and user.is_authenticated and user.role in POLICY[action].roles


def can(user, action: Action, cycle: BudgetCycle, target=None) -> bool:
    try:
        check(user, action, cycle, target)
    except (NotAllowed, WrongPhase):
        return False
    return True


def administers(user) -> bool:
    """Whether `user` is one of the installation's admins, who alone import territories and
    catalogue projects, give roles to accounts and read the audit log (it covers every
    territory): /admin."""
    return user is not None and user.is_authenticated and user.role == Role.ADMIN


def check_create_cycle(user, intercommunality: Intercommunality,
                       commune: Commune | None = None) -> None:
    """Raise NotAllowed unless `user` may create a cycle in `intercommunality` (or, with
    `commune`, that commune's own cycle): whoever would then configure it (CONFIGURE_CYCLE's
    roles and scope; a new cycle has no phase yet)."""
    if user is None or not user.is_authenticated:
        raise NotAllowed("Sign in to continue.")
    if commune is not None and commune.intercommunality_id != intercommunality.id:
        raise NotAllowed("You are not allowed to do this.")
    planned = SimpleNamespace(intercommunality_id=intercommunality.id,
                              commune_id=commune.id if commune else None)
    if user.role not in POLICY[Action.CONFIGURE_CYCLE].roles or not (
            user.role == Role.ADMIN or works_for_cycle(user, planned)):
        raise NotAllowed("You are not allowed to do this.")


def can_create_cycle(user, intercommunality: Intercommunality,
                     commune: Commune | None = None) -> bool:
    try:
        check_create_cycle(user, intercommunality, commune)
    except NotAllowed:
        return False
    return True
