"""An election turned into indexed, grouped data the rules work on.

Projects are renumbered in tie-break order, so "smaller index" means "wins a tie". Identical
ballots are merged into groups with a multiplicity. This is the only place that looks at the
ballot shapes; the rules see index tuples and numbers.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple, Sequence

from .model import CARDINAL_VOTE_TYPES, VOTE_TYPES, Election, InvalidElection
from .tiebreak import tie_order_of


class Group(NamedTuple):
    """Identical ballots: the projects they name (pabutools' `p in ballot`, so 0-point
    entries of a cumulative ballot count), their points (cardinal ballots only) and how many
    voters cast them. (A NamedTuple: large files have tens of thousands of groups.)"""

    members: tuple[int, ...]
    points: tuple[Fraction, ...] | None
    count: int


@dataclass(frozen=True)
class Profile:
    ids: tuple[str, ...]          # in tie-break order
    costs: tuple                  # int or Fraction, by index
    budget: Fraction
    groups: tuple[Group, ...]
    voters: int                   # every ballot counts, empty ones too
    vote_type: str

    @functools.cached_property
    def cache(self) -> dict:
        """Derived data the rules reuse across runs (e.g. add1's many MES runs)."""
        return {}

    @property
    def cardinal(self) -> bool:
        return self.vote_type in CARDINAL_VOTE_TYPES

    def supporters(self) -> list[list[int]]:
        """For each project, the indices of the groups that name it."""
        result: list[list[int]] = [[] for _ in self.ids]
        for g, group in enumerate(self.groups):
            for p in group.members:
                result[p].append(g)
        return result

    def votes(self) -> list[int]:
        """For each project, how many voters name it."""
        result = [0] * len(self.ids)
        for group in self.groups:
            for p in group.members:
                result[p] += group.count
        return result

    def points(self) -> list[Fraction]:
        """For each project, its total points (cardinal ballots only)."""
        result = [0] * len(self.ids)
        for group in self.groups:
            for p, pts in zip(group.members, group.points or ()):
                result[p] += pts * group.count
        return result

    def total_cost(self, selected: Sequence[int]):
        return sum((self.costs[p] for p in selected), 0)


def _exact(value, what: str):
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        try:
            value = Fraction(value)
        except (TypeError, ValueError):
            raise InvalidElection(f"{what} is not a number: {value!r}") from None
    if value < 0:
        raise InvalidElection(f"{what} is negative: {value}")
    return value


def _ballot_key(ballot, vote_type: str, index: dict[str, int]):
    """The ballot as (members, points), members in ballot order, unknown ids rejected."""
    if vote_type in CARDINAL_VOTE_TYPES:
        items = dict(ballot.items()) if hasattr(ballot, "items") else None
        if items is None:
            raise InvalidElection(f"a {vote_type} ballot must map project ids to points")
        pairs = sorted((index[_known(pid, index)], Fraction(pts)) for pid, pts in items.items())
        return tuple(p for p, _ in pairs), tuple(pts for _, pts in pairs)
    if vote_type == "ordinal":
        return tuple(dict.fromkeys(index[_known(pid, index)] for pid in ballot)), None
    if isinstance(ballot, (str, bytes)) or hasattr(ballot, "items"):
        raise InvalidElection("an approval ballot must be a set of project ids")
    if isinstance(ballot, (set, frozenset)):        # the common case, at C speed
        try:
            return tuple(sorted(map(index.__getitem__, ballot))), None
        except KeyError:
            pass                                    # reported below, with the id
    return tuple(sorted({index[_known(pid, index)] for pid in ballot})), None


def _known(pid: str, index: dict[str, int]) -> str:
    if pid not in index:
        raise InvalidElection(f"a ballot names an unknown project: {pid!r}")
    return pid


def prepare(election: Election, tie_order: Sequence[str] | None = None) -> Profile:
    """Check the election and build its Profile. Raises InvalidElection."""
    if election.vote_type not in VOTE_TYPES:
        raise InvalidElection(f"unknown vote type {election.vote_type!r}; known: {VOTE_TYPES}")
    ids = tuple(tie_order_of(election.costs, tie_order))
    index = {pid: i for i, pid in enumerate(ids)}
    costs = tuple(_exact(election.costs[pid], f"cost of project {pid!r}") for pid in ids)
    budget = Fraction(_exact(election.budget, "budget"))
    counts: Counter = Counter()
    for ballot, count in election.ballots:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidElection(f"a ballot multiplicity must be an int >= 0, not {count!r}")
        if count:
            counts[_ballot_key(ballot, election.vote_type, index)] += count
    groups = tuple(map(Group._make, ((members, points, count)
                                     for (members, points), count in counts.items())))
    return Profile(ids, costs, budget, groups, sum(counts.values()), election.vote_type)
