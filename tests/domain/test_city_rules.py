"""The city rules Pabulib documents, by hand and on the real files that declare them:
greedy on announced scores (Kraków 2024), equalshares.net's Add1 (Assen 2024) and its
comparison step (Wieliczka 2023), and `declared` choosing them from a file's META."""
import math
from fractions import Fraction
from pathlib import Path

import pytest

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election, InvalidElection, RuleNotApplicable, tally
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.mes.add1_net import tie_order
from budget.domain.tally.greedy_score import score_column
from budget.domain.tally.profile import prepare

from .test_greedy import approval

DATA = Path(__file__).parent.parent / "data"
PABULIB = Path("/work/shared/pabulib")     # Kraków 2024 is 4 MB: read where it is kept


def ordinal(costs, budget, *ballots):
    """("a b", 3): three voters ranking a first, then b."""
    return Election(costs=costs, budget=Fraction(budget), vote_type="ordinal",
                    ballots=[(tuple(b.split()), n) for b, n in ballots])


def official(pb):
    return {pid for pid, cells in pb.projects.items() if cells.get("selected", "0") != "0"}


# greedy-score

def test_greedy_score_ranks_by_the_announced_scores_not_by_the_votes():
    # b is named on more ballots, a is ranked first more often: the city ranks by points.
    election = ordinal({"a": 60, "b": 60}, 100, ("a b", 3), ("b", 4))
    assert tally("greedy", election).selected == ("b",)
    outcome = tally("greedy-score", election, scores={"a": 9, "b": 4})
    assert outcome.selected == ("a",)
    assert outcome.details["score_is"] == "announced"
    assert [e["score"] for e in outcome.details["examined"]] == [9, 4]


def test_greedy_score_skips_or_stops_and_applies_the_threshold():
    election = approval({"a": 70, "b": 50, "c": 20, "d": 10}, 100, ("a b c d", 1))
    scores = {"a": 40, "b": 30, "c": 20, "d": "5"}
    assert tally("greedy-score", election, scores=scores).selected == ("a", "c", "d")
    assert tally("greedy-score", election, scores=scores, no_skip=True).selected == ("a",)
    assert tally("greedy-score", election, scores=scores,
                 threshold=Fraction(10)).selected == ("a", "c")


def test_greedy_score_refuses_missing_or_negative_scores():
    election = approval({"a": 10, "b": 10}, 100, ("a", 1))
    with pytest.raises(InvalidElection, match="missing"):
        tally("greedy-score", election, scores={"a": 1})
    with pytest.raises(InvalidElection, match="negative"):
        tally("greedy-score", election, scores={"a": 1, "b": -2})
    with pytest.raises(InvalidElection, match="not a number"):
        tally("greedy-score", election, scores={"a": 1, "b": "many"})


def test_score_column_reads_the_projects_section():
    assert score_column({"1": {"cost": "5"}, "2": {"cost": "7"}}) is None
    assert score_column({"1": {"score": "12"}, "2": {"score": "2,5"}}) == {
        "1": 12, "2": Fraction(5, 2)}
    with pytest.raises(InvalidElection, match="'2'"):
        score_column({"1": {"score": "12"}, "2": {"score": ""}})


def test_declared_greedy_uses_the_score_column_only_for_ordinal_ballots():
    election = ordinal({"a": 60, "b": 60}, 100, ("a b", 3), ("b", 4))
    meta = {"rule": "greedy"}
    scores = {"a": 9, "b": 4}
    outcome = tally("declared", election, meta=meta, scores=scores)
    assert outcome.selected == ("a",) and outcome.details["declared_as"] == "greedy-score"
    assert "scores" not in outcome.details["params"]
    assert tally("declared", election, meta=meta).selected == ("b",)   # no column: votes
    approvals = approval({"a": 60, "b": 60}, 100, ("a b", 3), ("b", 4))
    assert tally("declared", approvals, meta=meta, scores=scores).selected == ("b",)


@pytest.mark.skipif(not (PABULIB / "Poland_Krakow_2024.pb").exists(),
                    reason="no local copy of Pabulib's Kraków 2024")
def test_krakow_2024_is_reproduced_from_its_score_column():
    pb = read_pabulib(PABULIB / "Poland_Krakow_2024.pb")
    outcome = tally("declared", pb.election, meta=pb.meta, scores=score_column(pb.projects))
    assert outcome.details["declared_as"] == "greedy-score"
    assert set(outcome.selected) == official(pb)
    assert set(tally("greedy", pb.election).selected) != official(pb)


# equalshares.net's Add1 and comparison step

def test_add1_net_raises_the_budget_in_whole_units_until_the_outcome_overspends():
    # 2 voters, B = 3: MES at 1.5 each funds nothing (a costs 4, b costs 3 for one voter).
    # At 2 each: a (4, both) fits -> cost 4 > 3, so the B/n outcome stays: nothing.
    election = approval({"a": 4, "b": 3}, 3, ("a", 1), ("a b", 1))
    assert tally("mes", election).selected == ()
    assert tally("mes-add1-net", election).selected == ()
    # pabutools' add1 completes with greedy: a does not fit, b does.
    assert tally("mes-add1", election).selected == ("b",)


def test_add1_net_keeps_the_last_outcome_that_fits():
    # 3 voters, B = 9 (3 each): MES funds c (its one supporter pays 3), not a (2 x 3 < 8).
    # At 4 each, a (8) and c both fit: 11 > 9, so the outcome at 3 each is kept.
    election = approval({"a": 8, "c": 3}, 9, ("a", 2), ("c", 1))
    outcome = tally("mes-add1-net", election)
    assert outcome.selected == ("c",)
    assert outcome.details["runs"] == 2


def test_equal_shares_ties_go_to_the_cheaper_then_the_more_supported_project():
    # a and b have the same two supporters: the same rho in round one. pabutools takes "a"
    # (the smaller id), equalshares.net the cheaper "b"; only one fits.
    election = approval({"a": 60, "b": 50}, 60, ("a b", 2))
    assert tally("mes", election).selected == ("a",)
    assert tally("mes-comparison", election).selected == ("b",)
    assert tally("mes-add1-net", election).selected == ("b",)
    assert tally("mes-add1-net", election, tie_order=["a", "b"]).selected == ("a",)


def test_comparison_replaces_equal_shares_when_more_voters_prefer_greedy():
    # 10 voters, 10 each: the 6 supporters of big (90) have only 60, so MES funds small
    # alone; greedy funds big then small. The 6 prefer greedy, the 4 like both the same.
    election = approval({"big": 90, "small": 10}, 100, ("big", 6), ("small", 4))
    assert tally("mes", election).selected == ("small",)
    outcome = tally("mes-comparison", election)
    assert outcome.selected == ("big", "small")
    assert outcome.details["comparison"] == {"greedy": ["big", "small"], "prefer_mes": 0,
                                             "prefer_greedy": 6, "kept": "greedy"}


def test_comparison_keeps_equal_shares_on_a_tie():
    # 5 voters want m1 and m2 (50 each), 5 want x (50); budget 100. MES: m1 (paid by the
    # five), then x; greedy: m1, m2. The five of x prefer MES, the other five greedy.
    election = approval({"m1": 50, "m2": 50, "x": 50}, 100, ("m1 m2", 5), ("x", 5))
    outcome = tally("mes-comparison", election)
    assert set(outcome.selected) == {"m1", "x"}
    assert outcome.details["comparison"] == {"greedy": ["m1", "m2"], "prefer_mes": 5,
                                             "prefer_greedy": 5, "kept": "mes"}


def every_whole_budget(election):
    """equalshares.net's Add1 loop as its generated code runs it, every budget in turn (the
    reference for the rule's skips): (selected ids as a set, the last per-voter budget)."""
    profile = prepare(election, tie_order(election))
    budget = profile.budget / profile.voters
    selected, _ = mes.equal_shares(profile, "cost", budget)
    step = Fraction(math.floor(budget) + 1)
    while True:
        outcome, _ = mes.equal_shares(profile, "cost", step)
        if profile.total_cost(outcome) > profile.budget:
            return {profile.ids[p] for p in selected}, budget
        selected, budget, step = outcome, step, step + 1


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024", "Poland_Wieliczka_2023_Green_Budget",
                                  "US_Stanford_Dataset_PB_Chicago_10th_Ward_2017_vote_approvals"])
def test_add1_net_skips_only_budgets_that_change_nothing(name):
    election = read_pabulib(DATA / f"{name}.pb").election
    outcome = tally("mes-add1-net", election)
    assert (set(outcome.selected), outcome.details["voter_budget"]) == every_whole_budget(
        election)


def test_equalshares_net_rules_need_approval_ballots():
    election = ordinal({"a": 10}, 10, ("a", 1))
    for rule in ("mes-add1-net", "mes-comparison", "mes-add1-net-comparison"):
        with pytest.raises(RuleNotApplicable, match="approval"):
            tally(rule, election)


def test_assen_2024_is_what_equalshares_net_add1_gives_and_pabutools_adds_project_7():
    pb = read_pabulib(DATA / "Netherlands_Assen_2024.pb")
    assert set(tally("mes-add1-net", pb.election).selected) == official(pb)
    assert set(tally("mes-add1", pb.election).selected) == official(pb) | {"7"}


def test_wieliczka_2023_is_reproduced_by_its_declared_rule():
    pb = read_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb")
    assert pb.meta["rule"] == "equalshares/add1-comparison"
    outcome = tally("declared", pb.election, meta=pb.meta)
    assert outcome.details["declared_as"] == "mes-add1-net-comparison"
    assert outcome.details["comparison"]["kept"] == "mes"
    assert set(outcome.selected) == official(pb)
