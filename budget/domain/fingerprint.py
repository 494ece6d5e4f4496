"""A SHA-256 over a canonical form of a tally's inputs, rule and engine version.

Two runs with the same projects, costs, budgets and anonymous ballots give the same
fingerprint, whatever order the ballots were cast or stored in.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Mapping, Sequence

from budget.domain.tally.model import Election

ENGINE_VERSION = "1"


def _canonical_ballot(ballot) -> str:
    if isinstance(ballot, (frozenset, set)):
        return json.dumps(sorted(ballot))
    if isinstance(ballot, Mapping):
        return json.dumps(sorted((pid, str(points)) for pid, points in ballot.items()))
    return json.dumps(list(ballot))  # ordinal: the order is the vote


def canonical_election(election: Election) -> dict:
    counts = Counter()
    for ballot, count in election.ballots:
        counts[_canonical_ballot(ballot)] += count
    ballots = sorted([json.loads(text), count] for text, count in counts.items())
    return {
        "vote_type": election.vote_type,
        "budget": str(election.budget),
        "costs": {pid: int(cost) for pid, cost in sorted(election.costs.items())},
        "ballots": ballots,
    }


def fingerprint(rule: str, params: Mapping, elections: Sequence[tuple[str, Election]]) -> str:
    """`elections` pairs each envelope's label with its tally input."""
    document = {
        "engine": ENGINE_VERSION,
        "rule": rule,
        "params": dict(params),
        "envelopes": [[label, canonical_election(e)] for label, e in elections],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
