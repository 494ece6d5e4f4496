"""Hand-checked MES, completion, Phragmén and max-welfare cases."""
from fractions import Fraction

import pytest

from budget.domain.tally import Election, RuleNotApplicable, tally


def approval(costs, budget, *ballots):
    return Election(costs=costs, budget=Fraction(budget),
                    ballots=[(frozenset(b.split()), n) for b, n in ballots])


def test_mes_price_per_voter_and_what_the_others_could_pay():
    # 10 voters, 10 each. a: 6 supporters pay 60/6 = 10 each (all their money).
    # b (cost 50) keeps 4 supporters with 40 in total: it is not affordable.
    election = approval({"a": 60, "b": 50}, 100, ("a", 6), ("b", 4))
    outcome = tally("mes", election)
    assert outcome.selected == ("a",)
    details = outcome.details
    assert details["voter_budget"] == 10
    [round_] = details["rounds"]
    assert round_["project"] == "a" and round_["price"] == 10
    assert round_["payers"] == [{"voters": 6, "budget_before": 10, "paid": 10}]
    assert details["not_selected"] == [{"project": "b", "cost": 50, "supporters": 4,
                                        "available": 40}]


def test_mes_poor_supporters_pay_all_they_have_and_the_rich_cover_the_rest():
    # 4 voters with 25. a (cost 40) by all 4 -> 10 each; then b (cost 45) by voters 1-3,
    # who hold 15 each -> 45 exactly.
    election = approval({"a": 40, "b": 45}, 100, ("a b", 3), ("a", 1))
    outcome = tally("mes", election)
    assert outcome.selected == ("a", "b")
    assert outcome.details["rounds"][1]["price"] == 15


def test_mes_exact_tie_goes_to_the_tie_order():
    election = approval({"x": 50, "y": 50}, 100, ("x", 5), ("y", 5))
    assert tally("mes", election).selected == ("x", "y")
    assert tally("mes", election, tie_order=["y", "x"]).selected == ("y", "x")


def test_mes_ignores_zero_vote_and_cost_zero_projects_but_cardinality_funds_free_ones():
    election = approval({"a": 10, "z": 5, "free": 0}, 100, ("a free", 2))
    assert tally("mes", election).selected == ("a",)
    assert tally("mes-cardinality", election).selected == ("free", "a")
    assert set(tally("mes-greedy", election).selected) == {"a", "z", "free"}


def test_add1_raises_the_voter_budget_until_exhaustive():
    # Plain MES: 3 voters with 10; c costs 12 with 1 supporter: not affordable.
    election = approval({"a": 18, "c": 12}, 30, ("a", 2), ("c", 1))
    assert tally("mes", election).selected == ("a",)
    outcome = tally("mes-add1", election)
    assert set(outcome.selected) == {"a", "c"}
    assert outcome.details["mes"]["voter_budget"] == 12


def test_phragmen_stops_instead_of_skipping():
    # loads: a 60/3 = 20, b 60/2 = 30 (does not fit after a: stop), c 40/1 = 40.
    election = approval({"a": 60, "b": 60, "c": 40}, 100, ("a", 3), ("b", 2), ("c", 1))
    assert tally("phragmen", election).selected == ("a",)
    assert tally("greedy", election).selected == ("a", "c")


def test_phragmen_needs_approval_ballots():
    election = Election(costs={"a": 1}, budget=Fraction(1), ballots=[({"a": 1}, 1)],
                        vote_type="cumulative")
    with pytest.raises(RuleNotApplicable):
        tally("phragmen", election)
    with pytest.raises(RuleNotApplicable):
        tally("mes-points", approval({"a": 1}, 1, ("a", 1)))


def test_max_welfare_beats_greedy_when_greedy_wastes_money():
    # greedy: a (60 x 5 = 300) then nothing fits; optimum: b + c = 50x4 + 50x4 = 400.
    election = approval({"a": 60, "b": 50, "c": 50}, 100, ("a", 5), ("b c", 4))
    assert tally("greedy", election).selected == ("a",)
    outcome = tally("max-welfare", election)
    assert set(outcome.selected) == {"b", "c"}
    assert outcome.details["welfare"] == 400


def test_declared_rule_reads_the_meta():
    election = approval({"a": 60, "b": 30, "c": 10}, 100, ("a", 3), ("b", 1), ("c", 2))
    meta = {"rule": "greedy-threshold", "min_project_score_threshold": "2"}
    outcome = tally("declared", election, meta=meta)
    assert outcome.selected == ("a", "c")
    with pytest.raises(RuleNotApplicable, match="greedy-custom"):
        tally("declared", election, meta={"rule": "greedy-custom"})
