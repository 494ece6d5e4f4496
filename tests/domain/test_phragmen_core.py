"""Phragmén in the compiled core (tally/phragmen.py, phragmen.c) against the exact all-Fraction
engine (tally/phragmen_exact.py, the engine before the core): the same winners and the same
details (every round's exact load, the project it stopped at, the money left), on elections
built to tie and on the real files."""
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election, RuleNotApplicable, tally
from budget.domain.tally import phragmen as rule
from budget.domain.tally.phragmen_exact import exact_phragmen
from budget.domain.tally.profile import prepare

DATA = Path(__file__).parent.parent / "data"


def test_the_core_is_built():
    """`pip install` builds it (setup.py); the tests run against the normal install."""
    assert rule.phragmen_step is not None


@st.composite
def tie_prone_elections(draw):
    """Few projects, costs from a short list, ballots from a few shapes with multiplicities:
    equal loads, projects nobody approves, zero costs and stops happen often."""
    count = draw(st.integers(1, 7))
    ids = [f"p{i}" for i in range(count)]
    costs = {pid: draw(st.sampled_from([0, 1, 2, 3, 6, Fraction(3, 2), 10])) for pid in ids}
    shapes = st.frozensets(st.sampled_from(ids), max_size=count)
    ballots = draw(st.lists(st.tuples(shapes, st.integers(1, 4)), max_size=12))
    budget = draw(st.sampled_from([0, 1, 3, 6, 10, Fraction(25, 2), 20, 40]))
    return Election(costs=costs, budget=budget, ballots=ballots)


@settings(max_examples=400, deadline=None)
@given(tie_prone_elections())
def test_the_core_gives_the_exact_engines_winners_and_details(election):
    profile = prepare(election)
    assert rule.core_phragmen(profile) == exact_phragmen(profile)


@settings(max_examples=100, deadline=None)
@given(tie_prone_elections(), st.integers(1, 2 ** 40))
def test_large_multiplicities_keep_the_details_exact(election, scale):
    """Counts far beyond the voters of a city: loads with large numerators and denominators."""
    scaled = Election(costs=election.costs, budget=election.budget,
                      ballots=[(ballot, count * scale) for ballot, count in election.ballots])
    profile = prepare(scaled)
    assert rule.core_phragmen(profile) == exact_phragmen(profile)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda path: path.stem)
def test_same_outcome_and_details_on_the_real_files(path):
    """The core on every approval file, against the exact engine (the rule counts every file
    in the core, the smallest included); the others are not Phragmén's to count."""
    election = read_pabulib(path).election
    profile = prepare(election)
    if election.vote_type != "approval":
        with pytest.raises(RuleNotApplicable):
            rule.phragmen(profile)
        return
    expected = exact_phragmen(profile)
    assert rule.core_phragmen(profile) == expected
    assert rule.phragmen(profile) == expected
    assert tally("phragmen", election).selected == tuple(profile.ids[p] for p in expected[0])


def test_without_the_core_the_exact_engine_counts(monkeypatch):
    election = read_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election
    expected = tally("phragmen", election)
    monkeypatch.setattr(rule, "phragmen_step", None)
    assert tally("phragmen", election) == expected


def test_the_core_rejects_inconsistent_arrays():
    profile = prepare(Election(costs={"a": 1, "b": 2}, budget=3,
                               ballots=[(frozenset({"a", "b"}), 2), (frozenset({"b"}), 1)]))
    board = rule._Board(profile, [0, 1], {0: 1, 1: 2}, 1)
    arrays = list(board.arrays)
    arrays[6] = np.array([7, 0, 1], np.int32)       # "a" named by a group that does not exist
    with pytest.raises(ValueError, match="out of range"):
        rule.phragmen_step(*arrays, -1, 0, 0.0, board.near)
    arrays = list(board.arrays)
    arrays[0] = np.zeros(3)                          # totals for 3 candidates, costs for 2
    with pytest.raises(ValueError, match="inconsistent"):
        rule.phragmen_step(*arrays, -1, 0, 0.0, board.near)
    arrays = list(board.arrays)
    arrays[4] = np.asarray(arrays[4]).astype(np.int64)   # load_of must be int32
    with pytest.raises(TypeError, match="load_of"):
        rule.phragmen_step(*arrays, -1, 0, 0.0, board.near)
