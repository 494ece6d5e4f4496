import random
from fractions import Fraction

from budget.domain.fingerprint import fingerprint
from budget.domain.tally import Election

BALLOTS = [(frozenset({"1", "2"}), 1), (frozenset({"2"}), 1), (frozenset({"1", "2"}), 1),
           (frozenset(), 1)]
ELECTION = Election(costs={"1": 500, "2": 300}, budget=Fraction(700), ballots=BALLOTS)


def digest(election, rule="greedy"):
    return fingerprint(rule, {"tie_break": "x"}, [("1", election)])


def test_same_inputs_in_any_order_give_the_same_fingerprint():
    reference = digest(ELECTION)
    for seed in range(20):
        shuffled = BALLOTS[:]
        random.Random(seed).shuffle(shuffled)
        assert digest(Election(ELECTION.costs, ELECTION.budget, shuffled)) == reference


def test_grouped_ballots_count_like_separate_ones():
    grouped = [(frozenset({"1", "2"}), 2), (frozenset({"2"}), 1), (frozenset(), 1)]
    assert digest(Election(ELECTION.costs, ELECTION.budget, grouped)) == digest(ELECTION)


def test_any_change_in_inputs_or_rule_changes_the_fingerprint():
    reference = digest(ELECTION)
    assert digest(ELECTION, rule="mes") != reference
    assert digest(Election({"1": 500, "2": 301}, ELECTION.budget, BALLOTS)) != reference
    assert digest(Election(ELECTION.costs, Fraction(701), BALLOTS)) != reference
    assert digest(Election(ELECTION.costs, ELECTION.budget, BALLOTS[:-1])) != reference
