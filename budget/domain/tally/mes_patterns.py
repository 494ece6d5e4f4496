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
from typing import Sequence

from .profile import Profile

SMALL_GROUP = 8
MAX_CACHED = 3_000_000      # classes held in cached counts before the cache is emptied


class Patterns:
    """Each candidate's supporters as ballot masks, and the cache of counts (module doc)."""

    def __init__(self, profile: Profile, candidates: Sequence[int]):
        weight = dict.fromkeys(candidates, 0)
        for members, _, count in profile.groups:
            for p in members:
                if p in weight:
                    weight[p] += count
        # The most supported projects, the likely first winners, get the low bits: masks ANDed
        # with the early (small) winners masks give small ints, which are quick to count.
        ranked = sorted(candidates, key=lambda p: -weight[p])
        self.bit = bit = {p: 1 << i for i, p in enumerate(ranked)}
        # Groups of few voters are counted by Counter (C speed), their mask repeated once per
        # voter (`single`); larger groups one by one (`multiple`).
        single: dict[int, list] = {p: [] for p in candidates}
        multiple: dict[int, list] = {p: [] for p in candidates}
        for members, _, count in profile.groups:
            mask = sum(bit[p] for p in set(members) if p in bit)
            for p in members:
                if p in bit:
                    if count == 1:
                        single[p].append(mask)
                    elif count <= SMALL_GROUP:
                        single[p].extend([mask] * count)
                    else:
                        multiple[p].append((mask, count))
        self.single, self.multiple, self.weight = single, multiple, weight
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
            count = per_project[p] = Counter(map(winners.__and__, self.single[p]))
            for mask, n in self.multiple[p]:
                k = mask & winners
                count[k] = count.get(k, 0) + n
            self.cached += len(count)
        return count
