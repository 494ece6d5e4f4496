"""The MES explanation from the compiled core's records (mes/explained.py, rounds.c explain())
against the Python replay it replaces (rule.replay_run on a Python state, then mes_details)
and against the exact all-Fraction engine: the same details, lists in the same order, on
elections built to tie (exact ties, budgets equal to prices), with costs in cents, with
huge multiplicities, and on every real file of tests/data."""
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election, tally
from budget.domain.tally.mes import core, explained
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.profile import prepare
from tests.domain.oracles import exact as oracle

from .test_mes_close_call import details_key, tie_prone_elections
from .test_mes_details import cent_elections

DATA = Path(__file__).parent.parent / "data"


def replayed(profile, sat, candidates, voter_budget, winners):
    state = mes.make_state(profile, sat, candidates, voter_budget)
    mes.replay_run(state, voter_budget, winners)
    return mes.mes_details(profile, state, winners)


def check(profile, sat, voter_budget) -> bool:
    """The compiled details of the exact run at voter_budget equal the replay's and the exact
    engine's; False when the core left them to the replay (a walk too close to call)."""
    candidates, free = mes.candidates_and_free(profile, sat, ())
    selected, exact_state = oracle.equal_shares(profile, sat, voter_budget)
    winners = selected[len(free):]
    compiled = explained.compiled_details(profile, sat, candidates, voter_budget, winners)
    if compiled is None:
        return False
    assert compiled == replayed(profile, sat, candidates, voter_budget, winners)
    assert details_key(compiled) == details_key(mes.mes_details(profile, exact_state, selected))
    return True


@settings(max_examples=400, deadline=None)
@given(tie_prone_elections(), st.integers(0, 40), st.sampled_from([1, 7, 11]))
def test_compiled_explanation_equals_the_replay_on_ties(election, extra, divisor):
    profile = prepare(election)
    if not profile.voters:
        return
    for sat in ("cost", "cardinality"):
        for voter_budget in (profile.budget / profile.voters,
                             profile.budget / profile.voters + Fraction(extra, divisor)):
            check(profile, sat, voter_budget)


@settings(max_examples=200, deadline=None)
@given(cent_elections(), st.integers(0, 40))
def test_compiled_explanation_equals_the_replay_in_cents(election, extra):
    profile = prepare(election)
    if not profile.voters:
        return
    for sat in ("cost", "cardinality"):
        check(profile, sat, profile.budget / profile.voters + extra)


@settings(max_examples=100, deadline=None)
@given(tie_prone_elections(), st.integers(40, 52))
def test_compiled_explanation_with_huge_multiplicities(election, bits):
    ballots = [(ballot, count << bits) for ballot, count in election.ballots]
    big = Election(costs={p: c << bits for p, c in election.costs.items()},
                   budget=election.budget * 2 ** bits, ballots=ballots)
    profile = prepare(big)
    if profile.voters and core.usable(profile):
        check(profile, "cost", profile.budget / profile.voters)


def test_most_tie_prone_runs_are_explained_by_the_core():
    """The replay is the exception: on a tie-prone election whose walks are clear, the core
    explains the run (else the tests above would prove little)."""
    election = Election(costs={"a": 30, "b": 20, "c": 10}, budget=Fraction(70, 3),
                        ballots=[(frozenset("ab"), 2), (frozenset("bc"), 3),
                                 (frozenset("a"), 1)])
    profile = prepare(election)
    assert check(profile, "cost", profile.budget / profile.voters)
    assert check(profile, "cardinality", profile.budget / profile.voters)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_compiled_explanation_equals_the_replay_on_real_files(path):
    election = read_pabulib(path).election
    profile = prepare(election)
    if not profile.voters or election.vote_type == "cumulative":
        return
    for sat in ("cost", "cardinality"):
        candidates, free = mes.candidates_and_free(profile, sat, ())
        voter_budget = profile.budget / profile.voters
        winners, finished, _ = core.run(profile, candidates, voter_budget, sat == "cost")
        if not finished:
            continue
        compiled = explained.compiled_details(profile, sat, candidates, voter_budget, winners)
        assert compiled == replayed(profile, sat, candidates, voter_budget, winners)


def test_a_walk_too_close_to_call_falls_back_to_the_replay(monkeypatch):
    election = read_pabulib(DATA / "Poland_Krakow_2023_Czyzyny.pb").election
    expected = tally("mes", election).details["rounds"]
    monkeypatch.setattr(core, "explain", lambda *args: None)
    assert tally("mes", election).details["rounds"] == expected
