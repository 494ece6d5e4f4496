"""prepare()'s compiled pass for approval ballots (approval_groups, profile_index.c): taken
only for distinct frozensets with plain int counts below 2**62 (what the Pabulib reader
gives), and then the same groups and voters as the general path; everything else (equal
ballots to merge, sets, bools, huge counts, unknown ids) goes to the general path, which
merges, counts exactly and names the problem."""
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from budget.domain.tally import Election, InvalidElection
from budget.domain.tally import _mescore
from budget.domain.tally import profile as profile_module
from budget.domain.tally.profile import Group, prepare

from .test_profile import reference_groups

IDS = [f"p{i}" for i in range(12)]


def general_path(election):
    with mock.patch.object(profile_module, "_compiled_groups", lambda *args: (None, 0)):
        return prepare(election)


def compiled(election):
    """(groups, voters) from the compiled pass, or None when it leaves the election to the
    general path."""
    index = {pid: i for i, pid in enumerate(sorted(election.costs))}
    try:
        return _mescore.approval_groups(list(election.ballots), index, Group)
    except LookupError:
        return None


@st.composite
def approval_elections(draw):
    ballots = draw(st.lists(st.frozensets(st.sampled_from(IDS), max_size=8), max_size=30,
                            unique=True))
    counts = st.one_of(st.integers(0, 5), st.integers(2 ** 61, 2 ** 62 + 5),
                       st.integers(2 ** 63, 2 ** 70))
    pairs = [(ballot, draw(counts)) for ballot in ballots]
    if pairs and draw(st.booleans()):       # an equal ballot again: the general path merges
        pairs.append((frozenset(draw(st.sampled_from(pairs))[0]), draw(st.integers(0, 3))))
    return Election(costs={pid: 1 for pid in IDS}, budget=Fraction(5), ballots=pairs)


@settings(max_examples=300, deadline=None)
@given(approval_elections())
def test_the_compiled_pass_gives_the_general_paths_profile(election):
    profile = prepare(election)
    assert profile == general_path(election)
    assert list(profile.groups) == reference_groups(election)
    assert all(type(group) is Group for group in profile.groups)
    assert profile.voters == sum(count for _, count in election.ballots)


@settings(max_examples=200, deadline=None)
@given(approval_elections())
def test_the_compiled_pass_takes_exactly_the_common_case(election):
    counted = [(ballot, count) for ballot, count in election.ballots if count]
    common = (len(set(ballot for ballot, _ in counted)) == len(counted)
              and all(count < 2 ** 62 for _, count in counted)
              and sum(count for _, count in counted) < 2 ** 62)
    result = compiled(election)
    assert (result is not None) == common
    if common:
        assert result == (tuple(reference_groups(election)),
                          sum(count for _, count in counted))


def test_counts_beyond_64_bits_fall_back_and_stay_exact():
    ballots = [(frozenset({"p0"}), 2 ** 62), (frozenset({"p1"}), 3)]
    election = Election({"p0": 1, "p1": 1}, Fraction(1), ballots)
    assert compiled(election) is None
    assert prepare(election).voters == 2 ** 62 + 3
    ballots = [(frozenset({"p0"}), 2 ** 61 + 1), (frozenset({"p1"}), 2 ** 61)]   # sum 2**62 + 1
    election = Election({"p0": 1, "p1": 1}, Fraction(1), ballots)
    assert compiled(election) is None
    assert prepare(election).groups == (Group((0,), None, 2 ** 61 + 1), Group((1,), None, 2 ** 61))


def test_equal_ballots_are_merged_by_the_general_path():
    ballots = [(frozenset({"p0", "p1"}), 2), (frozenset({"p1"}), 1), (frozenset({"p1", "p0"}), 3)]
    election = Election({"p0": 1, "p1": 1}, Fraction(1), ballots)
    assert compiled(election) is None
    assert prepare(election).groups == (Group((0, 1), None, 5), Group((1,), None, 1))


def test_a_ballot_counted_zero_times_is_left_out_even_with_an_unknown_id():
    ballots = [(frozenset({"p1", "p0"}), 2), (frozenset({"nobody"}), 0), (frozenset(), 1)]
    election = Election({"p0": 1, "p1": 1}, Fraction(1), ballots)
    assert compiled(election) == ((Group((0, 1), None, 2), Group((), None, 1)), 3)
    assert prepare(election) == general_path(election)


@pytest.mark.parametrize("ballots, message", [
    ([(frozenset({"p0"}), 1), (frozenset({"nobody"}), 1)], "unknown project: 'nobody'"),
    ([(frozenset({"p0"}), True)], "multiplicity"),
    ([(frozenset({"p0"}), -1)], "multiplicity"),
    ([(frozenset({"p0"}), 1.0)], "multiplicity"),
    ([("p0", 1)], "set of project ids"),
])
def test_what_the_compiled_pass_does_not_take_is_named_by_the_general_path(ballots, message):
    election = Election({"p0": 1, "p1": 1}, Fraction(1), ballots)
    assert compiled(election) is None
    with pytest.raises(InvalidElection, match=message):
        prepare(election)


def test_sets_and_tuples_of_pairs_give_the_same_profile():
    pairs = [(frozenset({"p0"}), 2), (frozenset({"p0", "p1"}), 1)]
    expected = prepare(Election({"p0": 1, "p1": 1}, Fraction(1), pairs))
    as_sets = [(set(ballot), count) for ballot, count in pairs]
    assert prepare(Election({"p0": 1, "p1": 1}, Fraction(1), as_sets)) == expected
    assert prepare(Election({"p0": 1, "p1": 1}, Fraction(1), tuple(pairs))) == expected
