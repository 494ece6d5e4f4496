"""An election turned into indexed, grouped data the rules work on.

Projects are renumbered in tie-break order, so "smaller index" means "wins a tie". Identical
ballots are merged into groups with a multiplicity. This is the only place that looks at the
ballot shapes; the rules see index tuples and numbers.

prepare() is part of every tally call, so the common shapes (approval ballots as sets,
cardinal ballots as dicts with int points, ordinal ones as tuples) are converted by C-level
maps over all ballots; anything else, and every error, goes through the one-ballot-at-a-time
path, which names the problem.
"""
from __future__ import annotations

import functools
import gc
from array import array
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple, Sequence

if TYPE_CHECKING:       # numpy loads when a rule needs it (its import costs ~0.1 s)
    import numpy as np

from .exact_numbers import exact_number, exact_point
from .model import CARDINAL_VOTE_TYPES, VOTE_TYPES, Election, InvalidElection
from .tiebreak import tie_order_of

try:
    from . import _mescore      # builds ByProject in one pass over the groups (pip compiles it)
except ImportError:             # pragma: no cover
    _mescore = None

EXACT_FLOAT_SUMS = 2 ** 53      # voter totals below this are exact in numpy's float sums
NUMPY_FROM = 128    # memberships from which per-profile data is built in numpy (below, numpy's
                    # fixed cost per call is larger than a plain loop; both give the same data)


class Group(NamedTuple):
    """Identical ballots: the projects they name (pabutools' `p in ballot`, so 0-point
    entries of a cumulative ballot count), their points (cardinal ballots only: an int when
    whole, else a Fraction) and how many voters cast them. (A NamedTuple: large files have
    tens of thousands of groups.)"""

    members: tuple[int, ...]
    points: tuple[int | Fraction, ...] | None
    count: int


class ByProject(NamedTuple):
    """Every project's groups (compressed rows), for the compiled MES core and the vote totals:
    array.array from the compiled pass (numpy's import is ~0.1 s of a command-line tally),
    numpy arrays from the numpy one (same items)."""

    start: array | np.ndarray   # int64, per project + 1: where its groups start in `groups`
    groups: array | np.ndarray  # int32, the groups naming each project, project by project
    weight: array | np.ndarray  # float64, voters per group (whole numbers below 2**53)
    support: array | np.ndarray     # int64, voters per project


class Incidence(NamedTuple):
    """Every (group, project) membership as flat numpy arrays, in group then ballot order."""

    projects: np.ndarray    # the project of each membership
    groups: np.ndarray      # its group index
    lengths: np.ndarray     # per group, its number of members
    counts: np.ndarray      # per group, its voters (int64)


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

    @functools.cached_property
    def memberships(self) -> int:
        """How many (group, project) pairs: the size of the ballot data."""
        return sum(map(len, map(itemgetter(0), self.groups)))

    @property
    def in_numpy(self) -> bool:
        """Whether per-profile data is worth building in numpy (and fits int64 and exact
        float sums); a choice of speed only."""
        return self.memberships >= NUMPY_FROM and self.voters < EXACT_FLOAT_SUMS

    @functools.cached_property
    def incidence(self) -> Incidence:
        import numpy as np
        members = list(map(itemgetter(0), self.groups))
        lengths = np.fromiter(map(len, members), np.intp, len(members))
        projects = np.fromiter(chain.from_iterable(members), np.intp, int(lengths.sum()))
        groups = np.repeat(np.arange(len(members), dtype=np.intp), lengths)
        counts = np.fromiter(map(itemgetter(2), self.groups), np.int64, len(members))
        return Incidence(projects, groups, lengths, counts)

    @functools.cached_property
    def by_project(self) -> ByProject:
        """Needs voters < EXACT_FLOAT_SUMS (in_numpy profiles; see mes/core.py usable)."""
        if _mescore is not None:
            try:
                start, groups, weight, support = _mescore.index(self.groups, len(self.ids))
            except ValueError:      # a shape the C pass does not take: numpy decides
                pass
            else:
                return ByProject(array("q", start), array("i", groups), array("d", weight),
                                 array("q", support))     # bytearrays: read as raw items
        import numpy as np
        projects, groups, _, counts = self.incidence
        order = np.argsort(projects, kind="stable")
        start = np.zeros(len(self.ids) + 1, np.int64)
        np.cumsum(np.bincount(projects, minlength=len(self.ids)), out=start[1:])
        support = np.bincount(projects, weights=counts[groups], minlength=len(self.ids))
        return ByProject(start, groups[order].astype(np.int32), counts.astype(np.float64),
                         support.astype(np.int64))

    def supporters(self) -> list[list[int]]:
        """For each project, the indices of the groups that name it."""
        result: list[list[int]] = [[] for _ in self.ids]
        for g, group in enumerate(self.groups):
            for p in group.members:
                result[p].append(g)
        return result

    @functools.cached_property
    def _votes(self) -> tuple[int, ...]:
        if not self.in_numpy:
            result = [0] * len(self.ids)
            for group in self.groups:
                for p in group.members:
                    result[p] += group.count
            return tuple(result)
        return tuple(self.by_project.support.tolist())

    def votes(self) -> list[int]:
        """For each project, how many voters name it."""
        return list(self._votes)

    def points(self) -> list:
        """For each project, its total points (cardinal ballots only)."""
        result = [0] * len(self.ids)
        for group in self.groups:
            for p, pts in zip(group.members, group.points or ()):
                result[p] += pts * group.count
        return result

    def total_cost(self, selected: Sequence[int]):
        return sum((self.costs[p] for p in selected), 0)


def _ballot_key(ballot, vote_type: str, index: dict[str, int]):
    """The ballot as (members, points), unknown ids rejected: members sorted by index
    (approval, cardinal) or in ballot order without repeats (ordinal)."""
    if vote_type in CARDINAL_VOTE_TYPES:
        items = dict(ballot.items()) if hasattr(ballot, "items") else None
        if items is None:
            raise InvalidElection(f"a {vote_type} ballot must map project ids to points")
        pairs = sorted((index[_known(pid, index)], exact_point(pts)) for pid, pts in items.items())
        return tuple(p for p, _ in pairs), tuple(pts for _, pts in pairs)
    if vote_type == "ordinal":
        return tuple(dict.fromkeys(index[_known(pid, index)] for pid in ballot)), None
    if isinstance(ballot, (str, bytes)) or hasattr(ballot, "items"):
        raise InvalidElection("an approval ballot must be a set of project ids")
    return tuple(sorted({index[_known(pid, index)] for pid in ballot})), None


def _known(pid: str, index: dict[str, int]) -> str:
    if pid not in index:
        raise InvalidElection(f"a ballot names an unknown project: {pid!r}")
    return pid


def _counted(pairs) -> tuple[list, list[int]]:
    """(ballots, multiplicities) of the pairs, without the ballots counted 0 times."""
    ballots = [ballot for ballot, _ in pairs]
    counts = [count for _, count in pairs]
    if not set(map(type, counts)) <= {int} or (counts and min(counts) < 0):
        for count in counts:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidElection(
                    f"a ballot multiplicity must be an int >= 0, not {count!r}")
    if 0 in counts:
        kept = [i for i, count in enumerate(counts) if count]
        ballots, counts = [ballots[i] for i in kept], [counts[i] for i in kept]
    return ballots, counts


def _keys(ballots: list, vote_type: str, index: dict[str, int]):
    """(members per ballot, points per ballot or None), as _ballot_key gives them."""
    shapes = set(map(type, ballots))
    get = index.__getitem__
    try:
        if vote_type == "approval" and shapes <= {frozenset, set}:
            if _mescore is not None:
                return _mescore.approval_keys(ballots, index), None
            return list(map(tuple, map(sorted, map(map, repeat(get), ballots)))), None
        if vote_type in CARDINAL_VOTE_TYPES and shapes <= {dict}:
            return _cardinal_keys(ballots, get)
        if vote_type == "ordinal" and shapes <= {tuple}:
            if _mescore is not None:
                return _mescore.ordinal_keys(ballots, index), None
            members = list(map(tuple, map(map, repeat(get), ballots)))
            if list(map(len, members)) == list(map(len, map(frozenset, members))):
                return members, None        # no repeats (the usual case): no dict per ballot
            return [tuple(dict.fromkeys(m)) for m in members], None
    except KeyError:
        pass                        # the path below names the unknown id
    keys = [_ballot_key(ballot, vote_type, index) for ballot in ballots]
    members = [m for m, _ in keys]
    return members, ([pts for _, pts in keys] if vote_type in CARDINAL_VOTE_TYPES else None)


def _cardinal_keys(ballots: list[dict], get):
    members = [tuple(map(get, ballot)) for ballot in ballots]
    points = [tuple(ballot.values()) for ballot in ballots]
    if not set(map(type, chain.from_iterable(points))) <= {int}:
        points = [tuple(map(exact_point, pts)) for pts in points]
    for i in [i for i, m in enumerate(members) if list(m) != sorted(m)]:
        pairs = sorted(zip(members[i], points[i]))      # indices are distinct: a dict's keys
        members[i], points[i] = tuple(p for p, _ in pairs), tuple(pts for _, pts in pairs)
    return members, points


def _groups(members: list, points: list | None, counts: list[int]) -> tuple[Group, ...]:
    """Equal (members, points) merged in first-seen order, their multiplicities added."""
    keys = members if points is None else list(zip(members, points))
    merged = dict.fromkeys(keys, 0)
    if len(merged) < len(keys):
        for key, count in zip(keys, counts):
            merged[key] += count
        keys, counts = list(merged), list(merged.values())
        if points is None:
            members = keys
        else:
            members, points = [m for m, _ in keys], [pts for _, pts in keys]
    rows = zip(members, repeat(None) if points is None else points, counts)
    return tuple(map(tuple.__new__, repeat(Group), rows))      # Group._make, at C speed


def prepare(election: Election, tie_order: Sequence[str] | None = None) -> Profile:
    """Check the election and build its Profile. Raises InvalidElection."""
    if election.vote_type not in VOTE_TYPES:
        raise InvalidElection(f"unknown vote type {election.vote_type!r}; known: {VOTE_TYPES}")
    ids = tuple(tie_order_of(election.costs, tie_order))
    index = {pid: i for i, pid in enumerate(ids)}
    costs = tuple(exact_number(election.costs[pid], f"cost of project {pid!r}") for pid in ids)
    budget = Fraction(exact_number(election.budget, "budget"))
    # A large file makes hundreds of thousands of tuples here, none in a reference cycle: the
    # collector's passes over them as they are made (a full one on e.g. Warszawa 2026) cost
    # as much as making them, so it waits until the groups are built (then one pass suffices).
    enabled = gc.isenabled()
    gc.disable()
    try:
        groups, voters = _compiled_groups(election, index)
        if groups is None:
            ballots, counts = _counted(election.ballots)
            members, points = _keys(ballots, election.vote_type, index)
            groups, voters = _groups(members, points, counts), sum(counts)
    finally:
        if enabled:
            gc.enable()
    return Profile(ids, costs, budget, groups, voters, election.vote_type)


def _compiled_groups(election: Election, index: dict[str, int]):
    """(groups, voters) in one compiled pass in the common shapes (what the Pabulib reader
    gives, int counts below 2**62): approval ballots as distinct frozensets, cardinal ones as
    dicts of int points; else (None, 0)."""
    pairs = election.ballots
    if _mescore is None:        # pragma: no cover
        return None, 0
    if election.vote_type == "approval":
        build = _mescore.approval_groups
    elif election.vote_type in CARDINAL_VOTE_TYPES:
        build = _mescore.cardinal_groups
    else:
        return None, 0
    try:
        return build(pairs if type(pairs) is list else list(pairs), index, Group)
    except LookupError:
        return None, 0      # the general path merges, counts exactly and names the problem
