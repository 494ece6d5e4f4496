"""Property tests on random elections: never over budget, deterministic, independent of
ballot order and grouping, completions exhaustive, and the same winners as pabutools."""
import io
import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st
from pabutools.election.pabulib import parse_pabulib_from_string

from budget.domain.pabulib import write_pabulib
from budget.domain.tally import RULES, Election, tally
from tests.domain.oracles.pabutools import REFERENCE

APPROVAL_RULES = [name for name, rule in RULES.items()
                  if "approval" in rule.vote_types and not rule.needs_parameters]


@st.composite
def elections(draw):
    n = draw(st.integers(1, 6))
    ids = [str(i) for i in draw(st.lists(st.integers(0, 30), min_size=n, max_size=n,
                                         unique=True))]
    costs = {pid: draw(st.integers(0, 60)) for pid in ids}
    budget = Fraction(draw(st.integers(0, 150)), draw(st.sampled_from([1, 2, 4])))
    ballots = draw(st.lists(st.tuples(st.frozensets(st.sampled_from(ids)), st.integers(1, 4)),
                            max_size=8))
    return Election(costs=costs, budget=budget, ballots=ballots)


def spread(election, seed):
    """The same voters, one ballot per voter, in a shuffled order."""
    singles = [(b, 1) for b, n in election.ballots for _ in range(n)]
    random.Random(seed).shuffle(singles)
    return Election(costs=election.costs, budget=election.budget, ballots=singles)


@settings(max_examples=60, deadline=None)
@given(elections(), st.integers(0, 10**6))
def test_within_budget_deterministic_and_independent_of_ballot_order(election, seed):
    for rule in APPROVAL_RULES:
        outcome = tally(rule, election)
        assert outcome.cost <= election.budget
        assert outcome.cost == sum(election.costs[p] for p in outcome.selected)
        assert len(set(outcome.selected)) == len(outcome.selected)
        assert tally(rule, election) == outcome
        assert tally(rule, spread(election, seed)).selected == outcome.selected


@settings(max_examples=60, deadline=None)
@given(elections())
def test_completed_equal_shares_is_exhaustive(election):
    for rule in ("mes-greedy", "mes-add1", "greedy"):
        outcome = tally(rule, election)
        left = election.budget - outcome.cost
        assert all(cost > left for pid, cost in election.costs.items()
                   if pid not in outcome.selected)


@settings(max_examples=40, deadline=None)
@given(elections())
def test_same_winners_as_pabutools_on_random_elections(election):
    text = io.StringIO()
    write_pabulib(text, election, {"description": "random"})
    instance, profile = parse_pabulib_from_string(text.getvalue())
    for rule in ("greedy", "greedy-cardinality", "mes", "mes-cardinality", "mes-greedy",
                 "mes-add1", "phragmen"):
        theirs = {p.name for p in REFERENCE[rule](instance, profile)}
        assert set(tally(rule, election).selected) == theirs, rule
