"""The close-call engine (the Python state that decides what the core leaves too close to call,
mes/close_call.py, state.py, walk.py) and the add1 horizons against the exact,
one-step-at-a-time reference (the all-Fraction engine), on random elections built to tie and on
real files.

Here every run is the close-call engine's from the first round (the compiled core is switched
off), so it is tested on whole runs; test_mes_core checks the core against it and against the
exact engine."""
import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election
from budget.domain.tally.mes import completion, core, state as float_state, walk
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.profile import prepare
from tests.domain.oracles import exact as oracle

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def python_engine():
    enabled, core.ENABLED = core.ENABLED, False
    yield
    core.ENABLED = enabled


@st.composite
def tie_prone_elections(draw):
    """Few distinct costs and budgets that divide evenly, so exact ties and voters whose
    budget equals a price exactly are common."""
    n = draw(st.integers(1, 7))
    ids = [f"p{i}" for i in range(n)]
    unit = draw(st.sampled_from([1, 3, 7, 10]))
    costs = {pid: unit * draw(st.integers(0, 12)) for pid in ids}
    budget = Fraction(unit * draw(st.integers(0, 40)), draw(st.sampled_from([1, 2, 3])))
    ballots = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ids), max_size=4),
                                      st.integers(1, 5)), max_size=10))
    return Election(costs=costs, budget=budget, ballots=ballots)


def details_key(details):
    rounds = [(r["project"], r["price"],
               sorted((x["voters"], x["budget_before"], x["paid"]) for x in r["payers"]))
              for r in details["rounds"]]
    return details["voter_budget"], rounds, details["not_selected"]


def assert_float_matches_exact(profile, sat, voter_budget=None):
    fast, fast_state = mes.equal_shares(profile, sat, voter_budget)
    slow, slow_state = oracle.equal_shares(profile, sat, voter_budget)
    assert fast == slow
    assert (details_key(mes.mes_details(profile, fast_state, fast))
            == details_key(mes.mes_details(profile, slow_state, slow)))


def assert_add1_matches_plain_loop(profile):
    jumped = completion.iterated_equal_shares(profile)
    # a copy of the profile, so that the plain loop does not reuse the shortcut's cached counts
    plain = completion.iterated_equal_shares(dataclasses.replace(profile), jump=False)
    assert (jumped[0], jumped[2], jumped[3]) == (plain[0], plain[2], plain[3])
    assert (details_key(mes.mes_details(profile, jumped[1], jumped[0]))
            == details_key(mes.mes_details(profile, plain[1], plain[0])))
    return jumped


@settings(max_examples=300, deadline=None)
@given(tie_prone_elections(), st.integers(0, 30))
def test_float_mes_equals_exact_mes(election, extra):
    profile = prepare(election)
    for sat in ("cost", "cardinality"):
        assert_float_matches_exact(profile, sat)
        if profile.voters:
            assert_float_matches_exact(profile, sat, profile.budget / profile.voters + extra)


@settings(max_examples=300, deadline=None)
@given(tie_prone_elections(), st.integers(0, 30))
def test_numpy_walk_equals_exact_mes(election, extra):
    """The walk of projects with many classes (numpy prefix sums, walk._numpy_walk), here
    forced on every project, against the all-Fraction engine: winners and details."""
    profile = prepare(election)
    threshold = walk.NUMPY_WALK
    walk.NUMPY_WALK = 0
    try:
        for sat in ("cost", "cardinality"):
            assert_float_matches_exact(profile, sat)
            if profile.voters:
                assert_float_matches_exact(profile, sat, profile.budget / profile.voters + extra)
        jumped = assert_add1_matches_plain_loop(profile)
    finally:
        walk.NUMPY_WALK = threshold
    exact = oracle.iterated_equal_shares(profile)
    assert (jumped[0], jumped[2], jumped[3]) == (exact[0], exact[2], exact[3])


@settings(max_examples=200, deadline=None)
@given(tie_prone_elections())
def test_add1_shortcuts_equal_the_exact_plain_loop(election):
    profile = prepare(election)
    jumped = assert_add1_matches_plain_loop(profile)
    exact = oracle.iterated_equal_shares(profile)
    assert (jumped[0], jumped[2], jumped[3]) == (exact[0], exact[2], exact[3])


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_real_files_float_and_add1_shortcuts(path):
    profile = prepare(read_pabulib(path).election)
    for sat in ("cost", "cardinality"):
        assert_float_matches_exact(profile, sat)
    assert_add1_matches_plain_loop(profile)


def test_the_exact_fallback_decides_the_real_tie_in_amsterdam_179(monkeypatch):
    calls = []
    original = float_state.exact_walk

    def counting(state, ev):
        calls.append(ev.p)
        return original(state, ev)

    monkeypatch.setattr(float_state, "exact_walk", counting)
    profile = prepare(read_pabulib(DATA / "Netherlands_Amsterdam_179.pb").election)
    assert_float_matches_exact(profile, "cost")
    assert calls, "the exact tie must go through the exact walk"


@settings(max_examples=150, deadline=None)
@given(tie_prone_elections(), st.lists(st.integers(0, 30), min_size=1, max_size=6))
def test_counts_shared_between_runs_change_nothing(election, extras):
    """Runs at several budgets, in any order, on one profile (their supporter counts cached
    per set of winners, patterns.py) equal runs on a fresh profile and the exact engine."""
    shared = prepare(election)
    if not shared.voters:
        return
    state = None
    for extra in extras:
        budget = shared.budget / shared.voters + extra
        warm, state = mes.equal_shares(shared, "cost", budget, state=state)
        fresh_profile = prepare(election)
        fresh, fresh_state = mes.equal_shares(fresh_profile, "cost", budget)
        exact, exact_state = oracle.equal_shares(fresh_profile, "cost", budget)
        assert warm == fresh == exact
        assert (details_key(mes.mes_details(shared, state, warm))
                == details_key(mes.mes_details(fresh_profile, exact_state, exact)))


@settings(max_examples=300, deadline=None)
@given(tie_prone_elections(), st.integers(0, 30))
def test_replayed_run_has_the_details_of_the_run(election, extra):
    """add1 rebuilds the run it returns from its known winners (rule.replay_run): same
    details as the exact engine's run at that budget."""
    profile = prepare(election)
    if not profile.voters:
        return
    for sat in ("cost", "cardinality"):
        voter_budget = profile.budget / profile.voters + extra
        slow, slow_state = oracle.equal_shares(profile, sat, voter_budget)
        candidates, free = mes.candidates_and_free(profile, sat, ())
        state = mes.make_state(profile, sat, candidates, voter_budget + 1)
        winners = slow[len(free):]
        mes.replay_run(state, voter_budget, winners)
        assert (details_key(mes.mes_details(profile, state, free + winners))
                == details_key(mes.mes_details(profile, slow_state, slow)))
