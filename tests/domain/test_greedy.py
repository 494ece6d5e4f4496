"""Hand-checked greedy cases: ties, what does not fit, zero votes, cost 0, city variants.

Ballots are written as space-separated ids: ("a b", 3) is three voters approving a and b.
"""
from fractions import Fraction

import pytest

from budget.domain.tally import Election, UnknownRule, tally


def approval(costs, budget, *ballots):
    return Election(costs=costs, budget=Fraction(budget),
                    ballots=[(frozenset(b.split()), n) for b, n in ballots])


def statuses(outcome):
    return [(e["project"], e["status"]) for e in outcome.details["examined"]]


def test_most_votes_first_and_skip_what_does_not_fit():
    election = approval({"a": 50, "b": 60, "c": 40}, 100, ("a b", 3), ("b c", 2))
    outcome = tally("greedy", election)
    assert outcome.selected == ("b", "c")
    assert outcome.cost == 100
    first, second, third = outcome.details["examined"]
    assert first == {"project": "b", "score": 5, "cost": 60, "status": "selected",
                     "remaining_before": 100}
    assert second["status"] == "skipped" and second["remaining_before"] == 40
    assert third["project"] == "c" and third["status"] == "selected"


def test_ties_go_to_the_smallest_id_as_a_string_unless_an_order_is_given():
    election = approval({"9": 60, "10": 60}, 100, ("9", 1), ("10", 1))
    assert tally("greedy", election).selected == ("10",)
    assert tally("greedy", election, tie_order=["9", "10"]).selected == ("9",)


def test_zero_vote_projects_are_funded_last_if_money_is_left():
    election = approval({"a": 10, "z": 20, "y": 200}, 100, ("a", 5))
    assert tally("greedy", election).selected == ("a", "z")


def test_cost_zero_projects_are_always_funded():
    election = approval({"a": 100, "free": 0}, 100, ("a", 1), ("free", 3))
    assert set(tally("greedy", election).selected) == {"a", "free"}
    # supporters per euro: a free project with supporters comes first
    assert tally("greedy-cardinality", election).selected == ("free", "a")


def test_cardinality_ranks_by_supporters_per_unit_of_cost():
    election = approval({"big": 90, "small": 10, "mid": 30}, 100,
                        ("big", 8), ("small", 2), ("mid", 3))
    assert tally("greedy-cardinality", election).selected == ("small", "mid")
    assert tally("greedy", election).selected == ("big", "small")


def test_cumulative_ballots_rank_by_points():
    election = Election(costs={"a": 10, "b": 10}, budget=Fraction(10), vote_type="cumulative",
                        ballots=[({"a": 1}, 3), ({"b": 5}, 1)])
    outcome = tally("greedy", election)
    assert outcome.selected == ("b",)
    assert outcome.details["score_is"] == "points"


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    election = approval({"a": 60, "b": 60, "c": 10}, 100, ("a", 3), ("b", 2), ("c", 1))
    outcome = tally("greedy-no-skip", election)
    assert outcome.selected == ("a",)
    assert statuses(outcome) == [("a", "selected"), ("b", "skipped"), ("c", "not-reached")]
    assert tally("greedy", election).selected == ("a", "c")


def test_threshold_funds_only_projects_that_reach_it():
    election = approval({"a": 10, "b": 10, "c": 10}, 100, ("a", 3), ("b", 2))
    outcome = tally("greedy-threshold", election, threshold=2)
    assert outcome.selected == ("a", "b")
    assert statuses(outcome)[-1] == ("c", "below-threshold")


def test_unknown_rule_lists_the_known_names():
    with pytest.raises(UnknownRule, match="greedy-cardinality"):
        tally("nope", approval({"a": 1}, 1))
    assert issubclass(UnknownRule, ValueError)
