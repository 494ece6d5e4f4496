"""Phragmén's board built in C (phragmen_board, phragmen.c) against the numpy construction it
replaced, and Phragmén counting without numpy (its import was most of a first call)."""
import subprocess
import sys
from array import array
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.tally import Election
from budget.domain.tally import _mescore
from budget.domain.tally.profile import prepare

DATA = Path(__file__).parent.parent / "data"


def numpy_board(profile, projects):
    """The former construction (tally/phragmen.py before issue 25's second pass)."""
    start, groups, _, _ = (np.asarray(a) for a in profile.by_project)
    count, ngroups = len(projects), len(profile.groups)
    slot = np.full(len(profile.ids), -1, np.int32)
    slot[projects] = np.arange(count, dtype=np.int32)
    owner = np.repeat(slot, np.diff(start))
    kept = owner >= 0
    cgroups = np.ascontiguousarray(groups[kept])
    cstart = np.zeros(count + 1, np.int64)
    np.cumsum(np.diff(start)[projects], out=cstart[1:])
    gmembers = owner[kept][np.argsort(cgroups, kind="stable")]
    gfirst = np.zeros(ngroups + 1, np.int64)
    np.cumsum(np.bincount(cgroups, minlength=ngroups), out=gfirst[1:])
    return cstart.tolist(), cgroups.tolist(), gfirst.tolist(), gmembers.tolist()


@st.composite
def profiles_and_candidates(draw):
    ids = [f"p{i}" for i in range(draw(st.integers(1, 15)))]
    ballots = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ids), max_size=6),
                                      st.integers(1, 4)), max_size=40))
    profile = prepare(Election({pid: 1 for pid in ids}, Fraction(3), ballots))
    projects = sorted(draw(st.sets(st.integers(0, len(ids) - 1))))
    return profile, projects


@settings(max_examples=300, deadline=None)
@given(profiles_and_candidates())
def test_the_board_is_the_numpy_construction(case):
    profile, projects = case
    start, groups, _, _ = profile.by_project
    built = _mescore.phragmen_board(start, groups, len(profile.groups), projects)
    cstart, cgroups, gfirst, gmembers = built
    assert (array("q", cstart).tolist(), array("i", cgroups).tolist(),
            array("q", gfirst).tolist(), array("i", gmembers).tolist()) \
        == numpy_board(profile, projects)


def test_the_board_rejects_what_is_out_of_range():
    profile = prepare(Election({"a": 1, "b": 2}, Fraction(3),
                               [(frozenset({"a", "b"}), 2), (frozenset({"b"}), 1)]))
    start, groups, _, _ = profile.by_project
    for projects in ([1, 0], [0, 0], [0, 2], [-1]):     # not increasing, or not a project
        with pytest.raises(ValueError, match="out of range"):
            _mescore.phragmen_board(start, groups, 2, projects)
    with pytest.raises(ValueError, match="out of range"):     # a group beyond ngroups
        _mescore.phragmen_board(start, groups, 1, [0, 1])
    with pytest.raises(TypeError):
        _mescore.phragmen_board(array("i", start), groups, 2, [0, 1])
    with pytest.raises(ValueError, match="no start array"):
        _mescore.phragmen_board(array("q"), groups, 2, [])
    with pytest.raises(ValueError, match="bad ngroups"):
        _mescore.phragmen_board(start, groups, -1, [0, 1])


PROGRAM = """
import sys
from budget.domain.pabulib import read_pabulib
from budget.domain.tally import tally
outcome = tally("phragmen", read_pabulib(sys.argv[1]).election)
print("numpy" in sys.modules, len(outcome.selected))
"""


def test_phragmen_counts_without_importing_numpy():
    path = DATA / "Poland_Wieliczka_2023_Green_Budget.pb"
    out = subprocess.run([sys.executable, "-c", PROGRAM, str(path)], capture_output=True,
                         text=True, check=True).stdout
    numpy_loaded, selected = out.split()
    assert numpy_loaded == "False" and int(selected) > 0


SMALL = Election({"a": 1, "b": 2, "c": 2}, Fraction(4),
                 [(frozenset({"a", "b"}), 2), (frozenset({"b", "c"}), 2), (frozenset({"c"}), 1)])


def test_small_profiles_are_counted_by_the_core(monkeypatch):
    """With its board built in C the core is faster than the exact engine on any profile."""
    import budget.domain.tally.phragmen_exact as exact_module
    from budget.domain.tally import phragmen as rule
    from budget.domain.tally.profile import NUMPY_FROM
    profile = prepare(SMALL)
    assert profile.memberships < NUMPY_FROM
    expected = exact_module.exact_phragmen(profile)
    monkeypatch.setattr(exact_module, "exact_phragmen",
                        lambda profile: pytest.fail("the exact engine counted"))
    assert rule.phragmen(profile) == expected


def test_voter_totals_beyond_exact_float_sums_go_to_the_exact_engine(monkeypatch):
    from budget.domain.tally import phragmen as rule
    from budget.domain.tally.phragmen_exact import exact_phragmen
    huge = Election(SMALL.costs, SMALL.budget,
                    [(ballot, count * 2 ** 52) for ballot, count in SMALL.ballots])
    profile = prepare(huge)
    monkeypatch.setattr(rule, "core_phragmen", lambda profile: pytest.fail("the core counted"))
    assert rule.phragmen(profile) == exact_phragmen(profile)
