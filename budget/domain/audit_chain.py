"""The audit log's hash chain: each entry's hash covers its content and the previous hash, so
editing, deleting or reordering entries breaks the chain where it happened.

An entry is plain data: a mapping of JSON values (numbers, text, lists, mappings, None) with
its `seq` (1, 2, 3, ... without gaps). Its hash is the SHA-256 of the canonical JSON of the
entry plus the previous entry's hash (GENESIS for the first).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Mapping

GENESIS = "0" * 64


def canonical(value) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def entry_hash(fields: Mapping, previous_hash: str) -> str:
    return hashlib.sha256(canonical({"entry": dict(fields), "previous_hash": previous_hash})
                          ).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the entry `seq`, and why."""

    seq: int
    reason: str  # "edited": content and hash disagree; "unlinked": not the follower of the
    # entry before it (one deleted, inserted or moved); "gap": numbers missing before it


def first_break(entries: Iterable[tuple[Mapping, str, str]]) -> tuple[Break | None, int, str]:
    """Walk `entries` (fields, previous hash, hash) in seq order. Returns (the first break or
    None, how many entries were read, the last good hash)."""
    expected_seq, last_hash, count = 1, GENESIS, 0
    for fields, previous_hash, stored_hash in entries:
        seq = fields["seq"]
        if entry_hash(fields, previous_hash) != stored_hash:
            return Break(seq, "edited"), count, last_hash
        if seq != expected_seq:
            return Break(seq, "gap"), count, last_hash
        if previous_hash != last_hash:
            return Break(seq, "unlinked"), count, last_hash
        expected_seq, last_hash, count = seq + 1, stored_hash, count + 1
    return None, count, last_hash
