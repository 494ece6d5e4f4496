"""prepare() and the per-profile data built from it (votes, MES ballot patterns) against
one-ballot-at-a-time references, on every ballot shape the Election contract allows."""
import gc
from collections import Counter
from fractions import Fraction
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.pabulib import read_pabulib
from budget.domain.tally import Election, InvalidElection
from budget.domain.tally import profile as profile_module
from budget.domain.tally.mes.patterns import SMALL_GROUP, Patterns
from budget.domain.tally.profile import Group, _ballot_key, prepare
from budget.domain.tally.tiebreak import tie_order_of


def reference_groups(election, tie_order=None):
    """The groups as the one-ballot path gives them, merged by a Counter."""
    index = {pid: i for i, pid in enumerate(tie_order_of(election.costs, tie_order))}
    counts = Counter()
    for ballot, count in election.ballots:
        if count:
            counts[_ballot_key(ballot, election.vote_type, index)] += count
    return [Group(members, points, count) for (members, points), count in counts.items()]


POINTS = st.one_of(st.integers(0, 9), st.integers(0, 9).map(Fraction),
                   st.fractions(0, 5, max_denominator=4))


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "cumulative", "scoring", "ordinal"]))
    n = draw(st.integers(1, 70))        # beyond 62 candidates, ballot masks are not int64
    ids = [str(i) for i in range(n)]
    pick = st.sampled_from(ids)
    if vote_type == "approval":
        ballot = st.one_of(st.frozensets(pick, max_size=6), st.sets(pick, max_size=6),
                           st.lists(pick, max_size=6))
    elif vote_type == "ordinal":
        ballot = st.one_of(st.lists(pick, max_size=6).map(tuple), st.lists(pick, max_size=6))
    else:
        ballot = st.dictionaries(pick, POINTS, max_size=6)
    ballots = draw(st.lists(st.tuples(ballot, st.integers(0, 12)), max_size=25))
    ballots += [ballots[i] for i in draw(st.lists(st.integers(0, len(ballots) - 1),
                                                  max_size=5))] if ballots else []
    costs = {pid: draw(st.integers(0, 50)) for pid in ids}
    return Election(costs=costs, budget=Fraction(draw(st.integers(0, 500))), ballots=ballots,
                    vote_type=vote_type)


@pytest.mark.parametrize("numpy_from", [0, 10**9])
@settings(max_examples=150, deadline=None)
@given(election=elections(), random=st.randoms())
def test_prepare_equals_the_one_ballot_path(election, random, numpy_from, monkeypatch):
    monkeypatch.setattr(profile_module, "NUMPY_FROM", numpy_from)
    tie_order = random.sample(sorted(election.costs), len(election.costs))
    for order in (None, tie_order):
        profile = prepare(election, order)
        expected = reference_groups(election, order)
        assert list(profile.groups) == expected
        assert all(type(group) is Group for group in profile.groups)
        assert profile.voters == sum(count for _, count in election.ballots)
        votes = [0] * len(profile.ids)
        for group in expected:
            for p in group.members:
                votes[p] += group.count
        assert profile.votes() == votes
        for group in profile.groups:     # whole points are ints, the others Fractions
            assert all(type(pts) is (int if Fraction(pts).denominator == 1 else Fraction)
                       for pts in group.points or ())


@pytest.mark.parametrize("numpy_from", [0, 10**9])
@settings(max_examples=100, deadline=None)
@given(election=elections())
def test_patterns_list_each_projects_groups_in_group_order(election, numpy_from, monkeypatch):
    """In numpy (masks by reduceat, a stable sort) or in a plain loop (small profiles)."""
    monkeypatch.setattr(profile_module, "NUMPY_FROM", numpy_from)
    profile = prepare(election)
    candidates = [p for p, votes in enumerate(profile.votes()) if votes]
    patterns = Patterns(profile, candidates)
    bit = patterns.bit
    assert sorted(bit.values()) == [1 << i for i in range(len(candidates))]
    single = {p: [] for p in candidates}
    multiple = {p: [] for p in candidates}
    for members, _, count in profile.groups:
        mask = sum(bit[p] for p in set(members) if p in bit)
        for p in members:
            if count <= SMALL_GROUP:
                single[p].extend([mask] * count)
            else:
                multiple[p].append((mask, count))
    assert patterns.single == single and patterns.multiple == multiple
    assert patterns.weight == {p: profile.votes()[p] for p in candidates}
    for winners in (0, sum(bit[p] for p in candidates[::2])):
        for p in candidates:
            expected = Counter()
            for members, _, count in profile.groups:
                if p in members:
                    expected[sum(bit[q] for q in members if q in bit) & winners] += count
            assert patterns.count(winners, p) == expected


def test_integral_and_fractional_points_mean_the_same():
    as_ints = Election({"a": 10, "b": 20}, Fraction(30),
                       [({"a": 2, "b": 1}, 3), ({"b": 1, "a": 2}, 1), ({"a": Fraction(1, 2)}, 2)],
                       vote_type="cumulative")
    as_fractions = Election(as_ints.costs, as_ints.budget,
                            [({pid: Fraction(pts) for pid, pts in ballot.items()}, n)
                             for ballot, n in as_ints.ballots], vote_type="cumulative")
    for election in (as_ints, as_fractions):
        profile = prepare(election)
        assert profile.groups == (Group((0, 1), (2, 1), 4), Group((0,), (Fraction(1, 2),), 2))
        assert [type(pts) for group in profile.groups for pts in group.points] == [
            int, int, Fraction]
        assert profile.points() == [9, 4]


@pytest.mark.parametrize("vote_type, ballot, message", [
    ("approval", frozenset({"a", "zz"}), "unknown project: 'zz'"),
    ("approval", "a", "must be a set"),
    ("cumulative", {"a": 1, "zz": 2}, "unknown project: 'zz'"),
    ("cumulative", {"a": "x"}, "points are not a number: 'x'"),
    ("cumulative", frozenset({"a"}), "must map project ids to points"),
    ("ordinal", ("a", "zz"), "unknown project: 'zz'"),
])
def test_a_bad_ballot_is_named(vote_type, ballot, message):
    election = Election({"a": 1}, Fraction(1), [(ballot, 1)], vote_type=vote_type)
    with pytest.raises(InvalidElection, match=message):
        prepare(election)
    # A ballot counted 0 times is not looked at.
    assert prepare(Election({"a": 1}, Fraction(1), [(ballot, 0)], vote_type)).groups == ()


@pytest.mark.parametrize("count", [-1, True, 1.0, "2"])
def test_a_multiplicity_is_an_int_of_zero_or_more(count):
    election = Election({"a": 1}, Fraction(1), [(frozenset({"a"}), 1), (frozenset(), count)])
    with pytest.raises(InvalidElection, match="multiplicity"):
        prepare(election)


def test_multiplicities_beyond_int64_are_counted_exactly():
    huge = 2 ** 70
    ballots = [(frozenset({str(i % 9), str(i % 7), str(i // 7 % 9)}), huge + i)
               for i in range(300)]
    profile = prepare(Election({str(i): 5 for i in range(9)}, Fraction(10), ballots))
    assert profile.memberships >= profile_module.NUMPY_FROM and not profile.in_numpy
    votes = [0] * 9
    for ballot, count in ballots:
        for pid in ballot:
            votes[int(pid)] += count
    assert profile.votes() == votes
    patterns = Patterns(profile, list(range(9)))
    assert patterns.weight == dict(enumerate(votes))


@settings(max_examples=150, deadline=None)
@given(election=elections())
def test_the_compiled_keys_give_the_python_groups(election):
    """approval_keys and ordinal_keys (profile_index.c) against prepare's Python maps."""
    compiled = prepare(election)
    with mock.patch.object(profile_module, "_mescore", None):
        assert prepare(election) == compiled


def test_repeated_ordinal_entries_keep_their_first_place():
    election = Election({"a": 1, "b": 1, "c": 1}, Fraction(1),
                        [(("b", "a", "b"), 2), (("c",), 1), (("b", "a"), 1)], vote_type="ordinal")
    assert prepare(election).groups == (Group((1, 0), None, 3), Group((2,), None, 1))


@pytest.mark.parametrize("enabled", [True, False])
def test_prepare_leaves_the_garbage_collector_as_it_found_it(enabled):
    """prepare() pauses the collector while it builds the groups (a choice of speed only)."""
    good = Election({"a": 1}, Fraction(1), [(frozenset({"a"}), 1)])
    bad = Election({"a": 1}, Fraction(1), [(frozenset({"a"}), -1)])
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        prepare(good)
        assert gc.isenabled() is enabled
        with pytest.raises(InvalidElection):
            prepare(bad)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


PABULIB = Path("/work/shared/pabulib")


@pytest.mark.skipif(not PABULIB.is_dir(), reason="no local copy of Pabulib files")
@pytest.mark.parametrize("name", ["Poland_Warszawa_2023_Wesola", "Poland_Krakow_2023_Czyzyny",
                                  "Hungary_Veszprem_2025", "France_Toulouse_2019"])
def test_real_files_give_the_one_ballot_path_groups(name):
    """Approval, ordinal and cumulative files as read_pabulib gives them (frozensets, tuples,
    dicts), against the one-ballot-at-a-time path; incidence and votes against the groups."""
    path = PABULIB / f"{name}.pb"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    election = read_pabulib(path).election
    profile = prepare(election)
    assert list(profile.groups) == reference_groups(election)
    members = [group.members for group in profile.groups]
    projects, groups, lengths, counts = profile.incidence
    assert projects.tolist() == [p for m in members for p in m]
    assert groups.tolist() == [g for g, m in enumerate(members) for _ in m]
    assert lengths.tolist() == list(map(len, members)) and profile.memberships == len(projects)
    assert counts.tolist() == [group.count for group in profile.groups]
    votes = [0] * len(profile.ids)
    for group in profile.groups:
        for p in group.members:
            votes[p] += group.count
    assert profile.votes() == votes
