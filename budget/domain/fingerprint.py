"""Fingerprints: SHA-256 over a canonical form of a tally's inputs, rule, tie order and engine
version, so that anyone holding the published ballots can re-run the tally and compare.

Each envelope has its own fingerprint (its `.pb` export carries it); a run's fingerprint
combines those of its envelopes. Ballot order and grouping do not matter: equal ballots are
counted together and sorted.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from fractions import Fraction
from typing import Mapping, Sequence

from budget.domain.tally.model import Election

try:
    from budget.domain.tally import _mescore    # the approval ballots' form, compiled
except ImportError:                             # pragma: no cover
    _mescore = None

ENGINE_VERSION = "1"


def _canonical_ballot(ballot) -> tuple:
    """The ballot as a sorted tuple (a pair per project for points): equal ballots give equal
    tuples, and tuples sort as their JSON lists do."""
    if isinstance(ballot, (frozenset, set)):
        return tuple(sorted(ballot))
    if isinstance(ballot, Mapping):
        return tuple(sorted((pid, str(points)) for pid, points in ballot.items()))
    return tuple(ballot)  # ordinal: the order is the vote


def canonical_election(election: Election) -> dict:
    """Plain JSON data that describes the election exactly (and can rebuild it)."""
    return {
        "vote_type": election.vote_type,
        "budget": str(election.budget),
        "costs": {pid: int(cost) for pid, cost in sorted(election.costs.items())},
        "ballots": _canonical_ballots(election),
    }


def _canonical_ballots(election: Election) -> list:
    """The ballots as [ballot, count] pairs, equal ballots counted together, sorted."""
    if election.vote_type == "approval" and _mescore is not None:
        # The same list, made by the compiled pass when every ballot is a set of the
        # election's ids with an int count (the ids' ranks sort as the ids do).
        ids = sorted(election.costs)
        try:
            return _mescore.canonical_approval(
                election.ballots if type(election.ballots) is list else list(election.ballots),
                {pid: rank for rank, pid in enumerate(ids)}, ids)
        except LookupError:
            pass        # an id the costs do not name, another shape: the general path
    counts = Counter()
    for ballot, count in election.ballots:
        counts[_canonical_ballot(ballot)] += count
    return [[[list(pair) for pair in key] if key and isinstance(key[0], tuple)
             else list(key), count] for key, count in sorted(counts.items())]


def election_from_canonical(data: Mapping) -> Election:
    vote_type = data["vote_type"]

    def ballot(entry):
        if vote_type == "approval":
            return frozenset(entry)
        if vote_type == "ordinal":
            return tuple(entry)
        return {pid: Fraction(points) for pid, points in entry}

    return Election(costs=dict(data["costs"]), budget=Fraction(data["budget"]),
                    ballots=[(ballot(entry), count) for entry, count in data["ballots"]],
                    vote_type=vote_type)


def _digest(document) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def envelope_fingerprint(rule: str, election: Election | Mapping,
                         tie_order: Sequence[str]) -> str:
    """`election`: an Election, or its canonical_election() when the caller already has it."""
    canonical = canonical_election(election) if isinstance(election, Election) else election
    return _digest({"engine": ENGINE_VERSION, "rule": rule, "tie_order": list(tie_order),
                    "election": canonical})


def run_fingerprint(envelope_fingerprints: Mapping[str, str]) -> str:
    """Combine the fingerprints of a run's envelopes, keyed by envelope label."""
    return _digest({"engine": ENGINE_VERSION, "envelopes": dict(envelope_fingerprints)})
