"""Supporters counted by ballot pattern, shared by every MES run on one profile (add1 makes
hundreds of runs whose rounds mostly fund the same projects).

During a run, two ballot groups that support the same projects among those funded so far have
paid the same prices, so they hold the same budget, or are both drained. So a budget class is
named by that pattern, a bit mask over the candidates (`ballot mask & winners mask`),
independent of the per-voter budget b: class 0 is "supports none of the winners so far", and
funding w turns class K into K | bit(w) for the groups that support w. Which classes are
drained (capped in some round) depends on b; each run keeps that set itself.

Counting p's supporters by class is the costly step of MES (a pass over p's ballot groups).
The count depends only on the set of winners so far, so it is kept per (winners mask, p) and
reused by every run, whatever its b, that reaches the same set of winners.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np

from ..profile import Profile

SMALL_GROUP = 8
MAX_CACHED = 3_000_000      # classes held in cached counts before the cache is emptied


class Patterns:
    """Each candidate's supporters as ballot masks, and the cache of counts (module doc).

    single[p]: the masks of p's groups of few voters, each repeated once per voter (counted by
    Counter, at C speed); multiple[p]: (mask, voters) of its larger groups. Both in group
    order."""

    def __init__(self, profile: Profile, candidates: Sequence[int]):
        votes = profile.votes()
        weight = {p: votes[p] for p in candidates}
        # The most supported projects, the likely first winners, get the low bits: masks ANDed
        # with the early (small) winners masks give small ints, which are quick to count.
        ranked = sorted(candidates, key=lambda p: -weight[p])
        self.bit = bit = {p: 1 << i for i, p in enumerate(ranked)}
        if profile.in_numpy:
            self.single, self.multiple = _by_project_in_numpy(profile, candidates, bit)
        else:
            self.single, self.multiple = _by_project_in_python(profile, candidates, bit)
        self.weight = weight
        self.counts: dict[int, dict[int, Counter]] = {}
        self.cached = 0

    @classmethod
    def of(cls, profile: Profile, candidates: Sequence[int]) -> "Patterns":
        key = ("mes-patterns", tuple(candidates))
        patterns = profile.cache.get(key)
        if patterns is None:
            patterns = profile.cache[key] = cls(profile, candidates)
        return patterns

    def count(self, winners: int, p: int) -> Counter:
        """p's supporters when the projects of the mask `winners` are funded, as
        {class: voters} (drained classes included). Shared: do not modify."""
        per_project = self.counts.get(winners)
        if per_project is None:
            if self.cached > MAX_CACHED:
                self.counts, self.cached = {}, 0
            per_project = self.counts[winners] = {}
        count = per_project.get(p)
        if count is None:
            if not winners:         # nobody has paid yet: one class
                count = Counter({0: self.weight[p]} if self.weight[p] else ())
            else:
                count = Counter(map(winners.__and__, self.single[p]))
                for mask, n in self.multiple[p]:
                    k = mask & winners
                    count[k] = count.get(k, 0) + n
            per_project[p] = count
            self.cached += len(count)
        return count


def _by_project_in_python(profile: Profile, candidates: Sequence[int], bit: dict[int, int]):
    """(single, multiple) for a small profile (see Patterns)."""
    single: dict[int, list] = {p: [] for p in candidates}
    multiple: dict[int, list] = {p: [] for p in candidates}
    for members, _, count in profile.groups:
        mask = sum(bit[p] for p in members if p in bit)
        for p in members:
            if p in bit:
                if count <= SMALL_GROUP:
                    single[p].extend([mask] * count)
                else:
                    multiple[p].append((mask, count))
    return single, multiple


def _by_project_in_numpy(profile: Profile, candidates: Sequence[int], bit: dict[int, int]):
    """(single, multiple) (see Patterns): masks by bitwise_or.reduceat, each project's
    memberships by a stable argsort, so in group order as in the plain loop."""
    import numpy as np
    projects, groups, lengths, counts = profile.incidence
    masks = _masks(profile, bit, projects, lengths)
    wanted = np.zeros(len(profile.ids), bool)
    wanted[list(candidates)] = True
    keep = wanted[projects]
    projects, groups = projects[keep], groups[keep]
    voters = counts[groups]
    small = voters <= SMALL_GROUP
    single = _by_project(candidates, np.repeat(projects[small], voters[small]), masks,
                         np.repeat(groups[small], voters[small]))
    large = ~small
    return single, _by_project(candidates, projects[large], masks, groups[large],
                               voters[large])


def _masks(profile: Profile, bit: dict[int, int], projects: np.ndarray, lengths: np.ndarray):
    """Each group's ballot mask (the OR of its members' bits): an int64 array when every bit
    fits, else a list of ints."""
    import numpy as np
    bits = [0] * len(profile.ids)
    for p, b in bit.items():
        bits[p] = b
    if len(bit) > 62:           # members are distinct within a group: a sum of bits is an OR
        return [sum(map(bits.__getitem__, group.members)) for group in profile.groups]
    starts = np.cumsum(lengths) - lengths
    masks = np.zeros(len(profile.groups), np.int64)
    filled = lengths > 0
    if filled.any():
        masks[filled] = np.bitwise_or.reduceat(np.array(bits, np.int64)[projects],
                                               starts[filled])
    return masks


def _by_project(candidates: Sequence[int], projects: np.ndarray, masks, groups: np.ndarray,
                voters: np.ndarray | None = None) -> dict[int, list]:
    """{p: [masks[groups[i]] (or (mask, voters[i])) for each i with projects[i] == p]}, in
    the order of i."""
    import numpy as np
    # numpy's stable sort of 16-bit keys is a radix sort, 5x quicker than on 64-bit ones
    if max(candidates, default=0) < 2 ** 16:
        projects = projects.astype(np.uint16)
    order = np.argsort(projects, kind="stable")
    groups = groups[order]
    if isinstance(masks, np.ndarray):
        items = masks[groups].tolist()
    else:
        items = list(map(masks.__getitem__, groups.tolist()))
    if voters is not None:
        items = list(zip(items, voters[order].tolist()))
    ends = np.cumsum(np.bincount(projects, minlength=max(candidates, default=-1) + 1)).tolist()
    return {p: items[ends[p - 1] if p else 0:ends[p]] for p in candidates}
