"""Tie-breaking: a total order of project ids, first wins.

pabutools' default (`lexico_tie_breaking`) is `sorted(ids)` on the raw strings, so "10" comes
before "9". The platform may pass its own published order instead.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from .model import InvalidElection


def tie_order_of(project_ids: Iterable[str], tie_order: Sequence[str] | None) -> list[str]:
    """Return every project id, in tie-break order (best first).

    With `tie_order=None` this is pabutools' lexicographic order. A given order must list
    every project exactly once (extra ids are ignored), else InvalidElection.
    """
    ids = set(project_ids)
    if tie_order is None:
        return sorted(ids)
    order = [pid for pid in dict.fromkeys(tie_order) if pid in ids]
    if len(order) != len(ids):
        missing = sorted(ids.difference(order))
        raise InvalidElection(f"tie_order does not list every project; missing: {missing[:10]}")
    return order
