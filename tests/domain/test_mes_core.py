"""The compiled MES core (mes/core.py, mes/rounds.c) against the close-call engine and the
exact all-Fraction engine: every run it finishes has the exact outcome, every run it stops is
stopped at a close call with the exact winners before it, and the rules give the same
outcomes and details with or without it. Without it the tally is an install error, unless the
exact engine was asked for (a pure-Python install)."""
import contextlib
import dataclasses
import pickle
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election, tally
from budget.domain.tally.mes import completion
from budget.domain.tally.mes import core as mes_core
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.profile import prepare
from tests.domain.oracles import exact as oracle

from .test_mes_close_call import details_key, tie_prone_elections

DATA = Path(__file__).parent.parent / "data"


@contextlib.contextmanager
def core_off():
    """Every MES run in the close-call engine from its first round, for the duration."""
    mes_core.ENABLED = False
    try:
        yield
    finally:
        mes_core.ENABLED = True


def test_the_core_is_built():
    """`pip install` builds it (setup.py); the tests run against the normal install."""
    assert mes_core._mescore is not None and mes_core.BUILT and mes_core.ENABLED


def test_a_missing_core_is_an_install_error_unless_the_exact_engine_is_asked_for(monkeypatch):
    election = read_pabulib(
        DATA / "US_Stanford_Dataset_PB_Chicago_10th_Ward_2017_vote_approvals.pb").election
    monkeypatch.setattr(mes_core, "BUILT", False)
    monkeypatch.setattr(mes_core, "exact_without_core", False)
    for rule in ("mes", "mes-cardinality", "mes-add1", "mes-add1-net"):
        with pytest.raises(mes_core.CoreNotBuilt, match="make install"):
            tally(rule, election)
    monkeypatch.undo()
    expected = {rule: tally(rule, election) for rule in ("mes", "mes-add1", "mes-add1-net")}
    with oracle.exact_engine():
        for rule, outcome in expected.items():
            exact = tally(rule, election)
            assert (exact.selected, exact.cost) == (outcome.selected, outcome.cost), rule
        assert details_key(tally("mes", election).details) == details_key(expected["mes"].details)


def core_or_exact(profile, sat, voter_budget):
    """(core winners, finished, exact winners) at voter_budget."""
    candidates, free = mes.candidates_and_free(profile, sat, ())
    decided, finished, _ = mes_core.run(profile, candidates, voter_budget, sat == "cost")
    exact, _ = oracle.equal_shares(dataclasses.replace(profile), sat, voter_budget)
    return free + decided, finished, exact


@settings(max_examples=500, deadline=None)
@given(tie_prone_elections(), st.integers(0, 30), st.sampled_from(["cost", "cardinality"]))
def test_core_runs_are_exact_or_stop_at_a_close_call(election, extra, sat):
    profile = prepare(election)
    if not profile.voters:
        return
    decided, finished, exact = core_or_exact(profile, sat, profile.budget / profile.voters + extra)
    if finished:
        assert decided == exact
    else:
        assert decided == exact[:len(decided)]


@settings(max_examples=300, deadline=None)
@given(tie_prone_elections(), st.integers(0, 30))
def test_rules_are_the_same_with_and_without_the_core(election, extra):
    profile = prepare(election)
    if not profile.voters:
        return
    voter_budget = profile.budget / profile.voters + extra
    for sat in ("cost", "cardinality"):
        with_core, state = mes.equal_shares(profile, sat, voter_budget)
        with core_off():
            python, python_state = mes.equal_shares(dataclasses.replace(profile), sat,
                                                    voter_budget)
            plain = completion.iterated_equal_shares(dataclasses.replace(profile))
        assert with_core == python
        assert (details_key(mes.mes_details(profile, state, with_core))
                == details_key(mes.mes_details(profile, python_state, python)))
    jumped = completion.iterated_equal_shares(profile)
    assert (jumped[0], jumped[2], jumped[3]) == (plain[0], plain[2], plain[3])
    assert (details_key(mes.mes_details(profile, jumped[1], jumped[0]))
            == details_key(mes.mes_details(profile, plain[1], plain[0])))


def test_add1_in_the_core_equals_the_python_plain_loop():
    """add1 with every run in the core, jumping by its horizons, on the real files: the outcome,
    the returned budget, the run count and the details of the plain loop in Python."""
    for path in sorted(DATA.glob("*.pb")):
        profile = prepare(read_pabulib(path).election)
        jumped = completion.iterated_equal_shares(profile)
        with core_off():
            plain = completion.iterated_equal_shares(dataclasses.replace(profile), jump=False)
        assert (jumped[0], jumped[2], jumped[3]) == (plain[0], plain[2], plain[3]), path.name
        assert (details_key(mes.mes_details(profile, jumped[1], jumped[0]))
                == details_key(mes.mes_details(profile, plain[1], plain[0])))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_real_files(path):
    profile = prepare(read_pabulib(path).election)
    for sat in ("cost", "cardinality"):
        decided, finished, exact = core_or_exact(profile, sat, profile.budget / profile.voters)
        assert finished and decided == exact


def test_an_exact_tie_between_uncapped_projects_is_decided_in_the_core():
    """Amsterdam 179, round 3: two projects with 124 supporters each, nobody capped, so the
    same rho 1/124 exactly; the core decides it by the tie order without the Python engine."""
    profile = prepare(read_pabulib(DATA / "Netherlands_Amsterdam_179.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    decided, finished, _ = mes_core.run(profile, candidates, profile.budget / profile.voters, True)
    assert finished
    tied = [p for p in candidates if profile.ids[p] in ("15004", "15045")]
    assert decided[2] == min(tied)


def test_fractional_costs_leave_cardinality_ties_to_the_python_engine():
    """Cardinality rho = cost / W is compared in integers only for whole costs: with cents,
    an exact tie stops the core and the Python engine decides it."""
    election = Election(costs={"a": Fraction(301, 100), "b": Fraction(301, 100)},
                        budget=Fraction(100), ballots=[(frozenset({"a", "b"}), 3)])
    profile = prepare(election)
    candidates, _ = mes.candidates_and_free(profile, "cardinality", ())
    decided, finished, _ = mes_core.run(profile, candidates, profile.budget / 3, False)
    assert (decided, finished) == ([], False)
    assert tally("mes-cardinality", election).selected == ("a", "b")


def test_the_close_call_engine_alone_gives_the_same_tally():
    election = read_pabulib(DATA / "Poland_Warszawa_2018_Ursus_Polnocny.pb").election
    with core_off():
        without = tally("mes-add1", election)
    assert tally("mes-add1", election) == without


def test_mes_details_are_computed_when_first_read(monkeypatch):
    election = read_pabulib(DATA / "Poland_Krakow_2023_Czyzyny.pb").election
    calls = []
    explain = mes.run_details
    monkeypatch.setattr(mes, "run_details", lambda *args: calls.append(1) or explain(*args))
    outcome = tally("mes", election)
    assert calls == []
    assert outcome.details["rounds"] and outcome.details["voter_budget"] and calls == [1]
    with core_off():
        eager = tally("mes", election)
    assert type(eager.details) is dict and eager == outcome
    copy = pickle.loads(pickle.dumps(outcome))
    assert type(copy.details) is dict and copy == eager


def test_cardinality_ties_compare_the_exact_costs():
    """Costs 2**53 + 1 and 2**53 are the same double: the core must not call them tied."""
    election = Election(costs={"a": 2 ** 53 + 1, "b": 2 ** 53}, budget=Fraction(3 * 2 ** 53, 2),
                        ballots=[(frozenset({"a", "b"}), 3)])
    with_core = tally("mes-cardinality", election)
    with core_off():
        assert tally("mes-cardinality", election) == with_core
    assert with_core.selected == ("b",)


def test_the_core_refuses_inconsistent_arrays():
    profile = prepare(read_pabulib(DATA / "Netherlands_Assen_2024.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    # The core reads buffers (memoryviews, arrays); numpy's copies make the broken variants.
    data = mes_core.CoreInput(*map(np.array, mes_core.core_input(profile, candidates)))
    bad_group = data.groups.copy()
    bad_group[0] = len(data.weight)
    bad_candidate = data.candidates.copy()
    bad_candidate[0] = len(data.costf)
    for broken in (data._replace(groups=bad_group), data._replace(candidates=bad_candidate),
                   data._replace(start=data.start[:-1]),
                   data._replace(weight=data.weight.astype(np.int64))):
        with pytest.raises((ValueError, TypeError)):
            mes_core._mescore.run(*broken, True, 1.0)


def numpy_by_project(profile):
    """Profile.by_project as numpy builds it without the compiled pass."""
    from budget.domain.tally import profile as profile_module
    compiled, profile_module._mescore = profile_module._mescore, None
    try:
        return dataclasses.replace(profile).by_project
    finally:
        profile_module._mescore = compiled


@settings(max_examples=200, deadline=None)
@given(tie_prone_elections())
def test_the_compiled_index_equals_numpys(election):
    profile = prepare(election)
    for built, expected in zip(profile.by_project, numpy_by_project(profile), strict=True):
        assert np.asarray(built).dtype == expected.dtype and built.tolist() == expected.tolist()


def test_the_compiled_index_of_real_files_and_its_refusals():
    for path in sorted(DATA.glob("*.pb")):
        profile = prepare(read_pabulib(path).election)
        for built, expected in zip(profile.by_project, numpy_by_project(profile), strict=True):
            assert built.tolist() == expected.tolist(), path.name
    index = mes_core._mescore.index
    for groups in [(((0, 5), None, 1),), (((0,), None, 0),), (((0,), None, 2 ** 53),),
                   (((0,), None),), ((["0"], None, 1),), ((("a",), None, 1),)]:
        with pytest.raises(ValueError):
            index(groups, 2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.frozensets(st.sampled_from(["a", "b", "c", "10", "9", "x y"]), max_size=6),
                max_size=20))
def test_compiled_approval_keys_equal_the_python_ones(ballots):
    index = {pid: i for i, pid in enumerate(sorted(["a", "b", "c", "10", "9", "x y"]))}
    assert (mes_core._mescore.approval_keys(ballots, index)
            == [tuple(sorted(index[pid] for pid in ballot)) for ballot in ballots])


def test_compiled_approval_keys_leave_bad_ballots_to_the_named_errors():
    index = {"a": 0, "b": 1}
    with pytest.raises(KeyError):
        mes_core._mescore.approval_keys([frozenset({"a"}), frozenset({"zz"})], index)
    with pytest.raises(TypeError):
        mes_core._mescore.approval_keys([("a",)], index)
    bad = Election(costs={"a": 1, "b": 2}, budget=Fraction(3),
                   ballots=[(frozenset({"a"}), 1), (frozenset({"zz"}), 1)])
    with pytest.raises(ValueError, match="unknown project: 'zz'"):
        tally("mes", bad)
