"""`mes-points` in the compiled core (mes/points.c, points_core.py) against the exact engine:
the same winners and the same details, on tie-prone elections (equal costs, equal ballots,
budgets that run out exactly) where the floats must hand the close rounds to the exact state;
and the compiled grouping of cardinal ballots (cardinal_groups.c) against the general path."""
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.tally import Election, InvalidElection, _mescore
from budget.domain.tally import profile as profile_module
from budget.domain.tally.mes import points_core, rule as mes
from budget.domain.tally.profile import Group, prepare
from tests.domain.oracles import exact as oracle


def exact_outcome(profile):
    selected, state = oracle.equal_shares(profile, "points")
    return selected, mes.mes_details(profile, state, selected)


def core_outcome(profile):
    selected, details = mes.run_rule(profile, "points")
    return selected, dict(details)


class CountingRounds:
    """Counts the core's calls that ended on a round too close to call."""

    def __init__(self):
        self.close, self.rounds = 0, _mescore.points_rounds

    def __call__(self, *arrays):
        winners, near = self.rounds(*arrays)
        self.close += bool(near)
        return winners, near


@st.composite
def tie_prone_elections(draw):
    n = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(n)]
    costs = {pid: draw(st.sampled_from([0, 6, 6, 12, 30, Fraction(25, 2), 10 ** 9]))
             for pid in ids}
    budget = Fraction(draw(st.sampled_from([0, 12, 24, 36, 60, 61])), draw(st.sampled_from([1, 3])))
    ballot = st.dictionaries(st.sampled_from(ids), st.sampled_from([0, 1, 1, 2, 3, 2 ** 40]),
                             max_size=4)
    ballots = draw(st.lists(ballot, max_size=8))
    ballots += ballots[:draw(st.integers(0, len(ballots)))]    # equal ballots again
    if n > 1 and draw(st.booleans()):       # p1, p0's twin: the same exact rho every round
        costs["p1"] = costs["p0"]
        ballots = [{**b, "p1": b["p0"]} if "p0" in b else {k: v for k, v in b.items()
                                                          if k != "p1"} for b in ballots]
    counts = st.integers(0, 4)
    return Election(costs=costs, budget=budget, ballots=[(b, draw(counts)) for b in ballots],
                    vote_type=draw(st.sampled_from(["cumulative", "scoring"])))


@settings(max_examples=400, deadline=None)
@given(tie_prone_elections())
def test_the_core_gives_the_exact_engines_outcome_and_details(election):
    profile = prepare(election)
    assert core_outcome(profile) == exact_outcome(profile)


def test_an_exact_tie_is_decided_by_the_exact_state_in_tie_order():
    # p0 and p1 have the same cost and the same supporters: the same exact rho every round
    ballots = [({"p0": 2, "p1": 2, "p2": 1}, 3), ({"p2": 3}, 2), ({"p0": 1, "p1": 1}, 1)]
    election = Election(costs={"p0": 10, "p1": 10, "p2": 7}, budget=Fraction(27),
                        ballots=ballots, vote_type="cumulative")
    profile = prepare(election)
    rounds = CountingRounds()
    with mock.patch.object(points_core._mescore, "points_rounds", rounds):
        outcome = core_outcome(profile)
    assert rounds.close >= 1
    assert outcome == exact_outcome(profile)
    assert 0 in outcome[0] and (1 not in outcome[0] or outcome[0].index(0) < outcome[0].index(1))


def test_a_budget_that_runs_out_exactly_goes_to_the_exact_state():
    # two voters of 5 each; the project costs exactly their 10: affordable, at the last cent
    election = Election(costs={"a": 10, "b": 11}, budget=Fraction(10),
                        ballots=[({"a": 1, "b": 1}, 1), ({"a": 3, "b": 3}, 1)],
                        vote_type="cumulative")
    profile = prepare(election)
    rounds = CountingRounds()
    with mock.patch.object(points_core._mescore, "points_rounds", rounds):
        outcome = core_outcome(profile)
    assert rounds.close >= 1
    assert outcome == exact_outcome(profile) and outcome[0] == [0]


def test_points_that_are_not_ints_take_the_exact_path():
    election = Election(costs={"a": 3, "b": 4}, budget=Fraction(7),
                        ballots=[({"a": Fraction(1, 2), "b": 2}, 2), ({"b": 1}, 1)],
                        vote_type="cumulative")
    profile = prepare(election)
    assert points_core.run_points(profile, mes.mes_details) is None
    assert core_outcome(profile) == exact_outcome(profile)


@settings(max_examples=300, deadline=None)
@given(tie_prone_elections(), st.booleans())
def test_cardinal_groups_give_the_general_paths_profile(election, merge):
    ballots = list(election.ballots)
    if merge and ballots:       # an equal dict in another order: one group
        ballot, count = ballots[0]
        ballots.append((dict(reversed(list(ballot.items()))), count + 1))
    election = Election(costs=election.costs, budget=election.budget, ballots=ballots,
                        vote_type=election.vote_type)
    with mock.patch.object(profile_module, "_compiled_groups", lambda *args: (None, 0)):
        general = prepare(election)
    profile = prepare(election)
    assert profile == general
    assert all(type(group) is Group for group in profile.groups)


@pytest.mark.parametrize("ballot, count", [({"a": True}, 1), ({"a": 1.5}, 1), ({"zz": 1}, 1),
                                           ({"a": 1}, -1), ({"a": 1}, True), ({"a": 1}, 2 ** 62),
                                           (frozenset({"a"}), 1)])
def test_cardinal_groups_leave_other_shapes_to_the_general_path(ballot, count):
    index = {"a": 0, "b": 1}
    with pytest.raises(LookupError):
        _mescore.cardinal_groups([(ballot, count)], index, Group)
    election = Election(costs={"a": 1, "b": 1}, budget=Fraction(1), ballots=[(ballot, count)],
                        vote_type="cumulative")
    try:
        compiled = prepare(election)
    except InvalidElection as error:
        with mock.patch.object(profile_module, "_compiled_groups", lambda *args: (None, 0)):
            with pytest.raises(InvalidElection, match=str(error)[:20]):
                prepare(election)
    else:
        with mock.patch.object(profile_module, "_compiled_groups", lambda *args: (None, 0)):
            assert prepare(election) == compiled


@pytest.mark.parametrize("points, count", [(2 ** 60, 1), (2 ** 30, 2 ** 30), (3, 2 ** 52)])
def test_numbers_floats_cannot_hold_take_the_exact_path(points, count):
    election = Election(costs={"a": 10, "b": 4}, budget=Fraction(12),
                        ballots=[({"a": points, "b": 1}, count), ({"b": 2}, 1)],
                        vote_type="cumulative")
    profile = prepare(election)
    assert points_core.run_points(profile, mes.mes_details) is None
    assert core_outcome(profile) == exact_outcome(profile)


def test_costs_beyond_floats_take_the_exact_path():
    election = Election(costs={"a": 10 ** 400, "b": 4}, budget=Fraction(10 ** 401),
                        ballots=[({"a": 2, "b": 1}, 2), ({"b": 2}, 1)], vote_type="cumulative")
    profile = prepare(election)
    assert points_core.run_points(profile, mes.mes_details) is None
    assert core_outcome(profile) == exact_outcome(profile)
