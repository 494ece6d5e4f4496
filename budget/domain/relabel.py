"""Ballots relabelled: the platform keeps a ballot as the (proposal, points) items it names,
and each envelope's tally takes the ids of its own projects, and counts their voters."""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping

try:
    from budget.domain.tally import _mescore    # the same pass, compiled
except ImportError:                             # pragma: no cover
    _mescore = None


def relabel(boxes: list[Mapping[frozenset, int]], label: Mapping[Hashable, Hashable]
            ) -> dict[frozenset, int]:
    """For each ballot of each box in turn, the frozenset of label[m] for its members m that
    `label` names; equal results are counted together (the first seen first), empty ones left
    out. A city's tally does this for every envelope (Paris: 250,000 ballots, twice each)."""
    if _mescore is not None:
        try:
            return _mescore.relabel(boxes if type(boxes) is list else list(boxes), label)
        except LookupError:
            pass        # a ballot that is not a frozenset, a count not an int: below
    relabelled: dict[frozenset, int] = {}
    for box in boxes:
        for ballot, count in box.items():
            mine = frozenset(label[member] for member in ballot if member in label)
            if mine:
                relabelled[mine] = relabelled.get(mine, 0) + count
    return relabelled


def member_counts(ballots: dict[frozenset, int]) -> Counter:
    """Each member's total: the counts of the ballots naming it added together (a project's
    voters)."""
    if _mescore is not None:
        try:
            return Counter(_mescore.member_counts(ballots))
        except LookupError:
            pass
    totals = Counter()
    for ballot, count in ballots.items():
        for member in ballot:
            totals[member] += count
    return totals
