"""add1's certificates (rounds.c, certify_rounds; completion.iterated_equal_shares): a full core
run records lower bounds of every rival's rho as lines in the per-voter budget, and certify()
proves a whole interval of budgets by walking only the winners. Checked here against the exact
engine (every certified interval, at budgets inside it), and add1 with them against a plain
linear scan of every budget step, on tie-prone elections and on real files, including Łódź
2022, where the stop condition is not monotone in the budget."""
from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election
from budget.domain.tally.mes import completion, core
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.profile import prepare
from tests.domain.oracles import exact as oracle

DATA = Path(__file__).parent.parent / "data"
PABULIB = Path("/work/shared/pabulib")      # the large files: read where they are kept


@st.composite
def elections(draw):
    """Few distinct costs and budgets that divide evenly (exact ties, budgets equal to a price),
    and enough voters and projects for drained voters and several rounds."""
    n = draw(st.integers(2, 8))
    ids = [f"p{i}" for i in range(n)]
    unit = draw(st.sampled_from([1, 3, 7, 10]))
    costs = {pid: unit * draw(st.integers(1, 15)) for pid in ids}
    budget = Fraction(unit * draw(st.integers(1, 60)), draw(st.sampled_from([1, 2, 3])))
    ballots = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ids), min_size=1,
                                                    max_size=4), st.integers(1, 6)),
                            min_size=1, max_size=12))
    return Election(costs=costs, budget=budget, ballots=ballots)


def linear_scan(profile, sat="cost", increment=Fraction(1)):
    """pabutools' add1 loop with no skip at all: a whole run at every budget step (each run
    exact: the core, and the Python state on its close calls). (selected, budget, runs)."""
    candidates, free = mes.candidates_and_free(profile, sat, ())
    b0 = profile.budget / profile.voters
    previous, t = None, 0
    while True:
        selected, _ = mes.equal_shares(profile, sat, b0 + t * increment, keep_state=False)
        if profile.total_cost(selected) > profile.budget:
            return (free, b0, 1) if t == 0 else (previous, b0 + (t - 1) * increment, t + 1)
        if completion.is_exhaustive(profile, selected, candidates):
            return selected, b0 + t * increment, t + 1
        previous, t = selected, t + 1


def add1(profile, sat="cost"):
    selected, _, budget, runs = completion.iterated_equal_shares(profile, sat)
    return selected, budget, runs


@settings(max_examples=150, deadline=None)
@given(elections(), st.integers(0, 20), st.lists(st.sampled_from([0, 1, 2, 5, 13, 40]),
                                                  min_size=1, max_size=4),
       st.sampled_from([1.0, 8.0, 64.0]))
def test_every_certified_interval_has_the_outcome_of_the_certified_run(election, extra, later,
                                                                       reach):
    profile = prepare(election)
    for sat in ("cost", "cardinality"):
        candidates, free = mes.candidates_and_free(profile, sat, ())
        if free:
            continue
        b1 = profile.budget / profile.voters + extra
        winners, finished, _, cert = core.run_certified(profile, candidates, b1, sat == "cost",
                                                        reach)
        if not finished:
            continue
        assert winners == oracle.equal_shares(profile, sat, b1)[0]
        for step in later:
            start = b1 + step
            x = core.certify(profile, candidates, start, sat == "cost", winners, cert)
            if x <= 0:
                continue
            assert x <= reach
            inside = {start, start + Fraction(x) * Fraction(999, 1000), start + Fraction(x) / 2}
            inside.update(start + j for j in range(math.ceil(x)) if j < x)
            for budget in inside:
                assert oracle.equal_shares(profile, sat, budget)[0] == winners, (sat, budget)


@settings(max_examples=150, deadline=None)
@given(elections(), st.integers(0, 20), st.sampled_from([0, 1, 2, 5, 13, 40]),
       st.lists(st.sampled_from([0, 1, 3, 20]), min_size=1, max_size=3),
       st.sampled_from([8.0, 64.0, 256.0]))
def test_a_seeded_run_is_exact_and_so_are_its_horizon_and_certificate(election, extra, step,
                                                                      later, reach):
    """A run seeded by the certificate of a run at a smaller budget (rounds.c, seed_round):
    the exact winners, its horizon and the intervals its own certificate proves too."""
    profile = prepare(election)
    for sat in ("cost", "cardinality"):
        candidates, free = mes.candidates_and_free(profile, sat, ())
        if free:
            continue
        b1 = profile.budget / profile.voters + extra
        first, finished, _, cert = core.run_certified(profile, candidates, b1, sat == "cost",
                                                      reach)
        if not finished:
            continue
        b2 = b1 + step
        winners, finished, horizon, seeded = core.run_certified(
            profile, candidates, b2, sat == "cost", reach, (first, cert))
        if not finished:
            continue
        assert winners == oracle.equal_shares(profile, sat, b2)[0]
        if 0 < horizon < math.inf:
            for budget in (b2 + Fraction(horizon) / 2, b2 + Fraction(horizon) * Fraction(99, 100)):
                assert oracle.equal_shares(profile, sat, budget)[0] == winners, (sat, budget)
        for more in later:
            start = b2 + more
            x = core.certify(profile, candidates, start, sat == "cost", winners, seeded)
            if x <= 0:
                continue
            assert x <= reach
            inside = {start, start + Fraction(x) * Fraction(999, 1000), start + Fraction(x) / 2}
            inside.update(start + j for j in range(math.ceil(x)) if j < x)
            for budget in inside:
                assert oracle.equal_shares(profile, sat, budget)[0] == winners, (sat, budget)


def test_a_seed_shortens_the_reach_and_one_from_a_larger_budget_is_not_used():
    profile = prepare(read_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    b1 = profile.budget / profile.voters + 10
    earlier = core.run_certified(profile, candidates, b1 - 5, True, 64.0)
    later = core.run_certified(profile, candidates, b1 + 5, True, 64.0)
    plain = core.run_certified(profile, candidates, b1, True, 64.0)
    seeded = core.run_certified(profile, candidates, b1, True, 64.0, (earlier[0], earlier[3]))
    assert seeded[0] == plain[0] and 58 < seeded[3][-1] < 59    # (the reach: 64 - 5, less)
    not_seeded = core.run_certified(profile, candidates, b1, True, 64.0, (later[0], later[3]))
    assert not_seeded == plain      # (the same lines, horizon and reach: no seed was read)
    with pytest.raises(ValueError):
        core.run_certified(profile, candidates, b1, True, 64.0, (later[0][:-1], later[3]))


@settings(max_examples=100, deadline=None)
@given(elections())
def test_add1_with_certificates_equals_the_exact_plain_loop(election):
    profile = prepare(election)
    for sat in ("cost", "cardinality"):
        exact = oracle.iterated_equal_shares(profile, sat)
        assert add1(profile, sat) == (exact[0], exact[2], exact[3])


def test_a_certificate_proves_nothing_below_its_run_or_for_other_winners():
    profile = prepare(read_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    b1 = profile.budget / profile.voters + 10
    winners, finished, _, cert = core.run_certified(profile, candidates, b1, True, 64.0)
    assert finished
    assert core.certify(profile, candidates, b1 - 1, True, winners, cert) <= 0
    assert core.certify(profile, candidates, b1, True, winners, cert) > 0
    assert core.certify(profile, candidates, b1, True, winners[::-1], cert) <= 0
    with pytest.raises(ValueError):
        core.certify(profile, candidates, b1, True, winners[:-1], cert)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_add1_equals_the_linear_scan_on_the_test_files(path):
    profile = prepare(read_pabulib(path).election)
    assert add1(profile) == linear_scan(profile)


# Real files whose scan takes seconds, not minutes (Budapest 2024 and 2025 VIII: bench/README.md
# has their check). Łódź 2022: step 60 is over the budget while steps 66-67 are
# feasible and exhaustive again.
SCANNED = ["Poland_Lodz_2022", "Poland_Krakow_2024", "Poland_Warszawa_2026",
           "France_Toulouse_2019", "Poland_Wroclaw_2015_150_-_500"]


@pytest.mark.skipif(not PABULIB.is_dir(), reason="the shared Pabulib files are not here")
@pytest.mark.parametrize("name", SCANNED)
def test_add1_equals_the_linear_scan_on_large_real_files(name):
    profile = prepare(read_pabulib(PABULIB / f"{name}.pb").election)
    assert add1(profile) == linear_scan(profile)


@pytest.mark.parametrize("name", ["Poland_Wieliczka_2023_Green_Budget", "Netherlands_Assen_2024",
                                  "Poland_Warszawa_2018_Ursus_Polnocny"])
def test_certified_intervals_on_real_files_hold_at_every_budget_step_inside(name):
    """On real profiles (Wieliczka's 6,586 voters, Ursus, Assen's 845 budget steps of 1 EUR):
    every budget step inside an interval a certificate proves gives its winners."""
    profile = prepare(read_pabulib(DATA / f"{name}.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    b0 = profile.budget / profile.voters
    proven = 0
    for extra in (0, 7, 40, 150):
        winners, finished, _, cert = core.run_certified(profile, candidates, b0 + extra, True,
                                                        64.0)
        assert finished
        for step in (0, 1, 3, 10, 30):
            start = b0 + extra + step
            x = core.certify(profile, candidates, start, True, winners, cert)
            for j in range(math.ceil(x) if x > 0 else 0):
                if j < x:
                    proven += 1
                    assert mes.equal_shares(profile, "cost", start + j,
                                            keep_state=False)[0] == winners
    assert proven, "no interval was proven: the check above checked nothing"


@pytest.mark.skipif(not PABULIB.is_dir(), reason="the shared Pabulib files are not here")
def test_an_exact_tie_with_a_later_index_proves_an_interval():
    """Budapest 2025 VIII: in round 2 the winner and a rival cap nothing and tie exactly (as
    many voters holding money), the smaller index winning; their rho stays tied at larger
    budgets, so the
    certificate proves an interval (it failed at every budget before) and every budget step
    in it gives the certified winners."""
    profile = prepare(read_pabulib(PABULIB / "Hungary_Budapest_2025_VIII_Jozsefvaros.pb").election)
    candidates, _ = mes.candidates_and_free(profile, "cost", ())
    b0 = profile.budget / profile.voters
    winners, finished, _, cert = core.run_certified(profile, candidates, b0, True, 256.0)
    assert finished
    x = core.certify(profile, candidates, b0 + 1, True, winners, cert)
    assert x > 100
    for j in range(math.ceil(x)):
        if j < x:
            assert mes.equal_shares(profile, "cost", b0 + 1 + j, keep_state=False)[0] == winners
