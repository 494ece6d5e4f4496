"""The exact details of a close-call engine's run (mes/history.py's integer prices over one
denominator) against the all-Fraction engine, with costs in cents and prices that need ever
larger denominators."""
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from budget.domain.tally import Election
from budget.domain.tally.mes import rule as mes
from budget.domain.tally.profile import prepare
from tests.domain.oracles import exact as oracle
from tests.domain.test_mes_close_call import details_key


@st.composite
def cent_elections(draw):
    n = draw(st.integers(1, 8))
    ids = [f"p{i}" for i in range(n)]
    costs = {pid: Fraction(draw(st.integers(0, 5000)), draw(st.sampled_from([1, 4, 100])))
             for pid in ids}
    budget = Fraction(draw(st.integers(0, 20000)), draw(st.sampled_from([1, 3, 100])))
    ballots = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ids), max_size=5),
                                      st.integers(1, 13)), max_size=14))
    return Election(costs=costs, budget=budget, ballots=ballots)


def exact_details(profile, sat, voter_budget):
    selected, state = oracle.equal_shares(profile, sat, voter_budget)
    return selected, details_key(mes.mes_details(profile, state, selected))


@settings(max_examples=300, deadline=None)
@given(cent_elections(), st.integers(0, 40), st.sampled_from([1, 7, 11]))
def test_float_details_equal_the_exact_engine(election, extra, divisor):
    profile = prepare(election)
    if not profile.voters:
        return
    for sat in ("cost", "cardinality"):
        for voter_budget in (None, profile.budget / profile.voters + Fraction(extra, divisor)):
            selected, state = mes.equal_shares(profile, sat, voter_budget)
            details = mes.mes_details(profile, state, selected)
            assert (selected, details_key(details)) == exact_details(profile, sat,
                                                                     voter_budget)
            # The prices some rounds got from an exact walk, and the ones computed from
            # the scaled integers, are the same Fractions as a Fraction-only history gives.
            history = state.history
            prices = [round_.price for round_ in history.rounds]
            for round_ in history.rounds:
                if round_.uncapped:     # else every payer was capped: an exact walk set it
                    round_.price = None
            history._budget = {0: history.voter_budget}
            history._scaled = None
            assert [history.price(r) for r in range(len(prices))] == prices


@st.composite
def points_elections(draw):
    n = draw(st.integers(1, 7))
    ids = [f"p{i}" for i in range(n)]
    costs = {pid: Fraction(draw(st.integers(0, 60)), draw(st.sampled_from([1, 1, 100])))
             for pid in ids}
    budget = Fraction(draw(st.integers(0, 300)), draw(st.sampled_from([1, 2, 3])))
    points = st.one_of(st.integers(0, 6), st.sampled_from([Fraction(1, 2), Fraction(5, 3)]))
    ballots = draw(st.lists(st.tuples(st.dictionaries(st.sampled_from(ids), points,
                                                      max_size=4),
                                      st.integers(1, 5)), max_size=10))
    return Election(costs=costs, budget=budget, ballots=ballots, vote_type="cumulative")


@settings(max_examples=300, deadline=None)
@given(points_elections(), st.integers(0, 20))
def test_points_in_integers_equal_the_all_fraction_engine(election, extra):
    profile = prepare(election)
    if not profile.voters:
        return
    for voter_budget in (None, profile.budget / profile.voters + extra):
        fast, fast_state = mes.equal_shares(profile, "points", voter_budget)
        slow, slow_state = oracle.equal_shares(profile, "points", voter_budget)
        assert fast == slow
        assert (mes.mes_details(profile, fast_state, fast)
                == mes.mes_details(profile, slow_state, slow))
