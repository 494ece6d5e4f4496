"""What a `.pb` export carries so that anyone can re-run its tally and check the fingerprint.

Pabulib's META has no field for it, and pabulib-checker refuses unknown META keys, so it goes
in the free-text `comment` field, in the `#1: ` form the checker asks for:

    comment;#1: engine_rule=mes-add1 / fingerprint=<sha256> / run_fingerprint=<sha256> /
            engine_version=1 / envelope_id=7 / run_envelopes=7,8 / tie_order=3,1,2
            (on one line)
"""
from __future__ import annotations

from typing import Mapping

# envelope_id and run_envelopes (every envelope id of the run, comma-separated): the run
# fingerprint combines the envelopes' by id (budget.domain.fingerprint.run_fingerprint).
KEYS = ("engine_rule", "fingerprint", "run_fingerprint", "engine_version", "envelope_id",
        "run_envelopes", "tie_order")
PREFIX = "#1: "
SEPARATOR = " / "


def encode(info: Mapping[str, str]) -> str:
    """The `comment` value for these recount facts (values may not contain ' / ' or '=')."""
    return PREFIX + SEPARATOR.join(f"{key}={info[key]}" for key in KEYS if info.get(key))


def decode(meta: Mapping[str, str]) -> dict[str, str]:
    """The recount facts of a file's META: from its comment, or from plain META keys (older
    exports). Missing facts are simply absent."""
    found = {key: meta[key] for key in KEYS if meta.get(key)}
    comment = meta.get("comment", "")
    if comment.startswith(PREFIX):
        for part in comment[len(PREFIX):].split(SEPARATOR):
            key, _, value = part.strip().partition("=")
            if key in KEYS and value:
                found[key] = value
    return found
