"""Every role x action x phase x scope rule, written out here by hand (not read from POLICY),
checked against `policy.can` for every person of the factories' world.

The world: CC Test (Nordville, Sudville) and CC Ailleurs (Loinville).
  alice, bob      citizens of Nordville, Sudville        zoe         citizen of Loinville
  staff           CC Test's staff (lives in Nordville)   council     CC Test's council (Sudville)
  northclerk      Nordville's staff                      southclerk  Sudville's staff
  otherstaff      CC Ailleurs' staff                     othercouncil CC Ailleurs' council
  admin           the installation's admin (lives nowhere)
"""
from types import SimpleNamespace

import pytest

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, TallyRun
from budget.models.time import utcnow
from budget.services.policy import Action, can
from tests import factories
from tests.conftest import SharedScenes, undone

A = Action
PEOPLE = ("alice", "bob", "zoe", "staff", "council", "admin", "otherstaff", "northclerk",
          "southclerk", "othercouncil")
ALL = frozenset(Phase)
UNTIL_VOTE = {Phase.UPCOMING, Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW}
REVIEW = {Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW}
# The phases a new cycle opens comments in (staff may add the supports phase).
COMMENTS = {Phase.PROPOSALS, Phase.REVIEW}
SUPPORTS = {Phase.SUPPORTS}
UNTIL_VOTE_CLOSES = UNTIL_VOTE | {Phase.VOTE}
VOTE_AND_COUNTING = {Phase.VOTE, Phase.COUNTING}
RESULTS = {Phase.RESULTS}

# Residents of the intercommunal cycle: everyone whose home commune is in CC Test.
RESIDENTS = {"alice", "bob", "staff", "council", "northclerk", "southclerk"}
NORTH_RESIDENTS = {"alice", "staff", "northclerk"}

# (action, target, phases, who may) for a cycle of CC Test with an envelope per commune.
# Targets: "north" = a proposal (or for CONFIGURE_ENVELOPE the envelope, for the census
# list, access codes and paper voters the commune itself) of Nordville; "south" = Sudville;
# "shared" = of the intercommunal envelope; "alice's" = a proposal written by alice.
INTERCOMMUNAL = [
    (A.SUBMIT_PROPOSAL, None, {Phase.PROPOSALS}, RESIDENTS),
    (A.EDIT_PROPOSAL, "alice's", {Phase.PROPOSALS}, {"alice"}),
    (A.WITHDRAW_PROPOSAL, "alice's", {Phase.PROPOSALS}, {"alice"}),
    (A.REVIEW_PROPOSAL, "north", REVIEW, {"staff", "admin", "northclerk"}),
    (A.REVIEW_PROPOSAL, "shared", REVIEW, {"staff", "admin"}),
    (A.VOTE, None, {Phase.VOTE}, RESIDENTS),
    (A.CLOSE_VOTE, None, {Phase.VOTE}, {"staff", "admin"}),
    (A.RUN_TALLY, None, {Phase.COUNTING}, {"staff", "admin"}),
    (A.PUBLISH_RESULTS, None, {Phase.COUNTING}, {"staff", "admin"}),
    (A.SIMULATE, None, {Phase.COUNTING}, {"staff", "admin"}),
    (A.PREVIEW_RESULTS, None, {Phase.COUNTING}, {"staff", "council", "admin"}),
    (A.MANAGE_CYCLE, None, ALL, {"staff", "admin", "northclerk", "southclerk"}),
    (A.CONFIGURE_CYCLE, None, UNTIL_VOTE, {"staff", "admin"}),
    (A.CONFIGURE_ENVELOPE, "north", UNTIL_VOTE, {"staff", "admin", "northclerk"}),
    (A.CONFIGURE_ENVELOPE, "shared", UNTIL_VOTE, {"staff", "admin"}),
    (A.MANAGE_ELIGIBILITY, "north", UNTIL_VOTE_CLOSES, {"staff", "admin", "northclerk"}),
    (A.MANAGE_ELIGIBILITY, "south", UNTIL_VOTE_CLOSES, {"staff", "admin", "southclerk"}),
    (A.RECORD_PAPER_VOTER, "north", {Phase.VOTE}, {"staff", "admin", "northclerk"}),
    (A.RECORD_PAPER_VOTER, "south", {Phase.VOTE}, {"staff", "admin", "southclerk"}),
    (A.ENTER_PAPER_BALLOTS, "north", VOTE_AND_COUNTING, {"staff", "admin", "northclerk"}),
    # Both communes' staff see the turnout (services/turnout.py: only their commune's).
    (A.SEE_TURNOUT, None, VOTE_AND_COUNTING, {"staff", "admin", "northclerk", "southclerk"}),
    # A winner's delivery: the staff of the body that delivers it ("north": Nordville;
    # "shared": the intercommunalité, for its own projects or a commune's it took over).
    (A.UPDATE_TRACKING, "north", RESULTS, {"staff", "admin", "northclerk"}),
    (A.UPDATE_TRACKING, "south", RESULTS, {"staff", "admin", "southclerk"}),
    (A.UPDATE_TRACKING, "shared", RESULTS, {"staff", "admin"}),
    # A council's decision on the published results: a commune's conseil municipal (the
    # target is the commune) by its staff or the EPCI's; the conseil communautaire ("shared":
    # no commune) by the EPCI's staff only.
    (A.RECORD_ADOPTION, "north", {Phase.RESULTS}, {"staff", "admin", "northclerk"}),
    (A.RECORD_ADOPTION, "south", {Phase.RESULTS}, {"staff", "admin", "southclerk"}),
    (A.RECORD_ADOPTION, "shared", {Phase.RESULTS}, {"staff", "admin"}),
    # The cycle's themes: its holder's staff, never a commune's clerks.
    (A.MANAGE_THEMES, None, ALL, {"staff", "admin"}),
    # Comments: in the phases a new cycle opens them in (proposals and review), by residents.
    (A.COMMENT, "north", COMMENTS, RESIDENTS),
    (A.COMMENT, "shared", COMMENTS, RESIDENTS),
    (A.REPORT, "north", ALL, set(PEOPLE)),
    (A.FOLLOW, "north", ALL, set(PEOPLE)),  # the service also asks may_read_proposal
    (A.MODERATE, "north", ALL, {"staff", "admin", "northclerk"}),
    (A.MODERATE, "shared", ALL, {"staff", "admin"}),
    (A.EDIT_CHARTER, None, ALL, {"staff", "admin"}),
    # Supports: a commune's proposal by its residents, an intercommunal one by all of them.
    (A.SUPPORT, "north", SUPPORTS, NORTH_RESIDENTS),
    (A.SUPPORT, "south", SUPPORTS, {"bob", "council", "southclerk"}),
    (A.SUPPORT, "shared", SUPPORTS, RESIDENTS),
    (A.CLOSE_SUPPORTS, None, {Phase.REVIEW}, {"staff", "admin"}),
    # A delivered winner's evaluation (the service also asks: delivered, less than a year):
    # residents of its commune, all of them for an intercommunal one; its text by its staff.
    (A.EVALUATE_PROJECT, "north", RESULTS, NORTH_RESIDENTS),
    (A.EVALUATE_PROJECT, "south", RESULTS, {"bob", "council", "southclerk"}),
    (A.EVALUATE_PROJECT, "shared", RESULTS, RESIDENTS),
    (A.PUBLISH_EVALUATION, "north", RESULTS, {"staff", "admin", "northclerk"}),
    (A.PUBLISH_EVALUATION, "shared", RESULTS, {"staff", "admin"}),
    # A commune's polling stations, their desk and kiosks: its staff, or the EPCI's.
    (A.RUN_POLLING_STATION, "north", {Phase.VOTE}, {"staff", "admin", "northclerk"}),
    (A.RUN_POLLING_STATION, "south", {Phase.VOTE}, {"staff", "admin", "southclerk"}),
]

# The same for Nordville's own cycle (one envelope, Nordville's residents only).
NORTH_OWNERS = {"staff", "admin", "northclerk"}
COMMUNE_CYCLE = [
    (A.SUBMIT_PROPOSAL, None, {Phase.PROPOSALS}, NORTH_RESIDENTS),
    (A.EDIT_PROPOSAL, "alice's", {Phase.PROPOSALS}, {"alice"}),
    (A.REVIEW_PROPOSAL, "north", REVIEW, NORTH_OWNERS),
    (A.VOTE, None, {Phase.VOTE}, NORTH_RESIDENTS),
    (A.CLOSE_VOTE, None, {Phase.VOTE}, NORTH_OWNERS),
    (A.RUN_TALLY, None, {Phase.COUNTING}, NORTH_OWNERS),
    (A.PUBLISH_RESULTS, None, {Phase.COUNTING}, NORTH_OWNERS),
    (A.SIMULATE, None, {Phase.COUNTING}, NORTH_OWNERS),
    (A.PREVIEW_RESULTS, None, {Phase.COUNTING}, NORTH_OWNERS | {"council"}),
    (A.MANAGE_CYCLE, None, ALL, NORTH_OWNERS),
    (A.CONFIGURE_CYCLE, None, UNTIL_VOTE, NORTH_OWNERS),
    (A.CONFIGURE_ENVELOPE, "north", UNTIL_VOTE, NORTH_OWNERS),
    (A.MANAGE_ELIGIBILITY, "north", UNTIL_VOTE_CLOSES, NORTH_OWNERS),
    (A.RECORD_PAPER_VOTER, "north", {Phase.VOTE}, NORTH_OWNERS),
    (A.ENTER_PAPER_BALLOTS, "north", VOTE_AND_COUNTING, NORTH_OWNERS),
    (A.SEE_TURNOUT, None, VOTE_AND_COUNTING, NORTH_OWNERS),
    (A.UPDATE_TRACKING, "north", RESULTS, NORTH_OWNERS),
    (A.UPDATE_TRACKING, "shared", RESULTS, {"staff", "admin"}),
    (A.RECORD_ADOPTION, "north", {Phase.RESULTS}, NORTH_OWNERS),
    (A.MANAGE_THEMES, None, ALL, NORTH_OWNERS),
    (A.COMMENT, "north", COMMENTS, NORTH_RESIDENTS),
    (A.REPORT, "north", ALL, set(PEOPLE)),
    (A.FOLLOW, "north", ALL, set(PEOPLE)),  # the service also asks may_read_proposal
    (A.MODERATE, "north", ALL, NORTH_OWNERS),
    (A.EDIT_CHARTER, None, ALL, NORTH_OWNERS),
    (A.SUPPORT, "north", SUPPORTS, NORTH_RESIDENTS),
    (A.CLOSE_SUPPORTS, None, {Phase.REVIEW}, NORTH_OWNERS),
    (A.EVALUATE_PROJECT, "north", RESULTS, NORTH_RESIDENTS),
    (A.PUBLISH_EVALUATION, "north", RESULTS, NORTH_OWNERS),
    (A.RUN_POLLING_STATION, "north", {Phase.VOTE}, NORTH_OWNERS),
]


@pytest.fixture
def no_shared_world(cycles):
    """The table's shared world rolled back (on SQLite its transaction would hold the write
    lock), before a test opens its own session."""
    cycles.close()


@pytest.fixture
def w(no_shared_world, session):
    return factories.world()


def _in_phase(cycle: BudgetCycle, phase: Phase) -> BudgetCycle:
    if phase == Phase.RESULTS:
        db.session.add(TallyRun(cycle_id=cycle.id, rule="greedy", fingerprint="0" * 64,
                                result={}, published_at=utcnow()))
        db.session.commit()
    assert cycle.phase() == phase
    return cycle


def _intercommunal_cycle(w, phase):
    return _in_phase(factories.cycle(w, Phase.COUNTING if phase == Phase.RESULTS else phase),
                     phase)


def _commune_cycle(w, phase):
    return _in_phase(factories.commune_cycle(
        w, Phase.COUNTING if phase == Phase.RESULTS else phase), phase)


def _targets(w, cycle, action, target):
    """The object the action is asked about."""
    if target is None:
        return None
    if target == "alice's":
        return factories.project(cycle, w.north, "Idée d'Alice", 1000, w.users["alice"])
    commune = {"north": w.north, "south": w.south}.get(target)
    if action == A.UPDATE_TRACKING:  # a tracking record, as policy reads it
        return SimpleNamespace(delivering_commune_id=commune.id if commune else None)
    if action in (A.MANAGE_ELIGIBILITY, A.RECORD_PAPER_VOTER, A.RECORD_ADOPTION):
        return commune
    if action == A.RUN_POLLING_STATION:  # a station of the commune, as the views ask
        return SimpleNamespace(commune_id=commune.id)
    if action == A.CONFIGURE_ENVELOPE:
        return factories.envelope(cycle, commune)
    return factories.project(cycle, commune, "Un projet", 1000, w.users["bob"])


def _check(w, cycle, action, target, phases, allowed):
    subject = _targets(w, cycle, action, target)
    phase = cycle.phase()
    wrong = [f"{who}: expected {who in allowed and phase in phases}"
             for who in PEOPLE
             if can(w.users[who], action, cycle, subject) != (who in allowed and phase in phases)]
    assert not wrong, f"{action.value} on {target} in {phase.value}: " + ", ".join(wrong)


@pytest.fixture(scope="module")
def cycles(app):
    """(world, cycle) for a kind of cycle in a phase, shared by the rows asked of it (the phase
    is the slowest parameter): a world per row was most of the table's time. Each row's target
    is made and rolled back in it."""
    made = {"intercommunal": _intercommunal_cycle, "commune": _commune_cycle}
    with SharedScenes(app, lambda kind, phase: (w := factories.world(),
                                                made[kind](w, phase))) as kept:
        yield kept


@pytest.mark.parametrize("action, target, phases, allowed", INTERCOMMUNAL,
                         ids=[f"{row[0].value}-{row[1]}" for row in INTERCOMMUNAL])
@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_intercommunal_cycle(cycles, phase, action, target, phases, allowed):
    w, cycle = cycles.get("intercommunal", phase)
    with undone(db.session):
        _check(w, cycle, action, target, phases, allowed)


@pytest.mark.parametrize("action, target, phases, allowed", COMMUNE_CYCLE,
                         ids=[f"{row[0].value}-{row[1]}" for row in COMMUNE_CYCLE])
@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_commune_cycle(cycles, phase, action, target, phases, allowed):
    w, cycle = cycles.get("commune", phase)
    with undone(db.session):
        _check(w, cycle, action, target, phases, allowed)


def test_every_action_is_in_the_tables():
    assert {row[0] for row in INTERCOMMUNAL} == set(Action)
    assert {row[0] for row in COMMUNE_CYCLE} >= set(Action) - {A.WITHDRAW_PROPOSAL}


def test_a_cycle_of_another_intercommunality_is_nobody_elses_business(w):
    """CC Ailleurs' own cycle: CC Test's people have no part in it, whatever their role; but
    anyone signed in may report to its moderators what they read there, and follow it."""
    cycle = factories.cycle(w, Phase.REVIEW)
    cycle.intercommunality = w.elsewhere.intercommunality
    for envelope in list(cycle.envelopes):
        if envelope.commune_id is not None:
            cycle.envelopes.remove(envelope)
            db.session.delete(envelope)
    db.session.add(Envelope(cycle=cycle, commune_id=w.elsewhere.id, amount=5000))
    db.session.commit()
    for who in ("alice", "bob", "staff", "council", "northclerk", "southclerk"):
        for action in set(Action) - {A.REPORT, A.FOLLOW}:
            assert not can(w.users[who], action, cycle,
                           factories.envelope(cycle, None)), (who, action)
        assert can(w.users[who], A.REPORT, cycle)
        assert can(w.users[who], A.FOLLOW, cycle)
    assert can(w.users["otherstaff"], A.CONFIGURE_CYCLE, cycle)
    assert can(w.users["otherstaff"], A.REVIEW_PROPOSAL, cycle,
               factories.envelope(cycle, w.elsewhere))
