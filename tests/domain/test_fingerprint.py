import random
from fractions import Fraction
from pathlib import Path

import pytest

from budget.domain.fingerprint import (canonical_election, election_from_canonical,
                                       envelope_fingerprint, run_fingerprint)
from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election

BALLOTS = [(frozenset({"1", "2"}), 1), (frozenset({"2"}), 1), (frozenset({"1", "2"}), 1),
           (frozenset(), 1)]
ELECTION = Election(costs={"1": 500, "2": 300}, budget=Fraction(700), ballots=BALLOTS)
TIES = ["2", "1"]


def digest(election, rule="greedy", ties=TIES):
    return envelope_fingerprint(rule, election, ties)


def test_same_inputs_in_any_order_give_the_same_fingerprint():
    reference = digest(ELECTION)
    for seed in range(20):
        shuffled = BALLOTS[:]
        random.Random(seed).shuffle(shuffled)
        assert digest(Election(ELECTION.costs, ELECTION.budget, shuffled)) == reference


def test_grouped_ballots_count_like_separate_ones():
    grouped = [(frozenset({"1", "2"}), 2), (frozenset({"2"}), 1), (frozenset(), 1)]
    assert digest(Election(ELECTION.costs, ELECTION.budget, grouped)) == digest(ELECTION)


def test_any_change_in_inputs_rule_or_ties_changes_the_fingerprint():
    reference = digest(ELECTION)
    assert digest(ELECTION, rule="mes") != reference
    assert digest(ELECTION, ties=["1", "2"]) != reference
    assert digest(Election({"1": 500, "2": 301}, ELECTION.budget, BALLOTS)) != reference
    assert digest(Election(ELECTION.costs, Fraction(701), BALLOTS)) != reference
    assert digest(Election(ELECTION.costs, ELECTION.budget, BALLOTS[:-1])) != reference


def test_canonical_form_rebuilds_the_same_election():
    for election in (ELECTION, Election({"a": 10, "b": 20}, Fraction(55, 2),
                                        [({"a": Fraction(3), "b": Fraction(0)}, 2)],
                                        vote_type="cumulative"),
                     Election({"a": 10, "b": 20}, Fraction(30), [(("b", "a"), 1)],
                              vote_type="ordinal")):
        rebuilt = election_from_canonical(canonical_election(election))
        assert canonical_election(rebuilt) == canonical_election(election)
        assert digest(rebuilt) == digest(election)


def test_run_fingerprint_depends_on_every_envelope():
    one = run_fingerprint({"1": "a" * 64, "2": "b" * 64})
    assert one == run_fingerprint({"2": "b" * 64, "1": "a" * 64})
    assert one != run_fingerprint({"1": "a" * 64, "2": "c" * 64})


# Fingerprints published with past results must stay reproducible: these were computed by the
# code of 2026-12-07 before its canonical form was made faster (tuples, no JSON round trip),
# and by it after.
PINNED = {
    "Poland_Warszawa_2018_Ursus_Polnocny.pb":
        "7c71f8a7f2ac66ea7e7bcd44b09f20d585c3f25a9ce412cab0fe07f455bf138f",
    "Switzerland_Zurich_S5D10.pb":  # cumulative: points in the canonical form
        "0bd15d0a16b7f109ebafe3013bffa75e74877dfe3d688e1abd86e7ee00d7a47f",
    "Netherlands_Assen_2024.pb":
        "912e4cd466d38beee4fc0d6900411e6c11a85450079389549a669a951c7f73c8",
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_fingerprint_of_a_real_file_does_not_change(name):
    election = read_pabulib(Path(__file__).resolve().parents[1] / "data" / name).election
    assert envelope_fingerprint("mes", election, sorted(election.costs)) == PINNED[name]


def test_the_compiled_approval_ballots_are_the_general_paths(monkeypatch):
    """canonical_ballots.c gives the same JSON as the Python path: sets and frozensets, equal
    ballots, counts of 0, 1 and beyond 64 bits, ids that sort differently as text and as
    numbers; other shapes (an id the costs do not name, a bool count) take the Python path."""
    from budget.domain import fingerprint
    if fingerprint._mescore is None:
        pytest.skip("pure-Python build")
    rng = random.Random(7)
    ids = [str(n) for n in range(1, 30)] + ["a", "b10", "b9", "Z", "é"]
    elections = []
    for _ in range(400):
        pool = rng.sample(ids, rng.randint(1, len(ids)))
        size = min(6, len(pool))
        ballots = [(rng.choice([frozenset, set])(rng.sample(pool, rng.randint(0, size))),
                    rng.choice([1, 1, 2, 0, 10**30])) for _ in range(rng.randint(0, 30))]
        elections.append(Election({pid: 10 for pid in pool}, Fraction(100), ballots))
    elections += [Election({"1": 5}, Fraction(5), [(frozenset({"2"}), 1)]),
                  Election({"1": 5, "2": 3}, Fraction(5), [(frozenset({"2"}), True)])]
    compiled = [canonical_election(election) for election in elections]
    monkeypatch.setattr(fingerprint, "_mescore", None)
    assert compiled == [canonical_election(election) for election in elections]
    assert [list(map(type, (b for _, b in c["ballots"]))) for c in compiled] \
        == [list(map(type, (b for _, b in canonical_election(e)["ballots"]))) for e in elections]
