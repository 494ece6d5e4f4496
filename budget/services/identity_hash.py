"""Keyed hashes of census identifiers, access codes and OpenID Connect subjects: what is stored
instead of them.

HMAC-SHA256 with a key of the installation (ELIGIBILITY_KEY, from the environment, never in the
database), and the cycle's id in the message. Why keyed: an identifier (a voter-card or tax
number) and a date of birth are guessable, so a plain salted hash read from a database dump
would be reversed by trying every number; without the key nothing can be tried. Why the cycle
id: the same person gets unrelated hashes in two cycles, so lists cannot be linked.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def _key() -> bytes:
    return current_app.config["ELIGIBILITY_KEY"].encode()


def keyed_hash(kind: str, cycle_id: int, *parts: str) -> str:
    """64 hex characters; `kind` separates identifiers, identities and codes."""
    message = "\x1f".join([kind, str(cycle_id), *parts]).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def identifier_hash(cycle_id: int, identifier: str) -> str:
    return keyed_hash("census-identifier", cycle_id, identifier)


def birth_hash(cycle_id: int, identifier: str, birth_date) -> str:
    return keyed_hash("census-identity", cycle_id, identifier, birth_date.isoformat())


def code_hash(cycle_id: int, code: str) -> str:
    return keyed_hash("access-code", cycle_id, code)


def subject_hash(issuer: str, subject: str) -> str:
    """An OpenID Connect identity (the provider's `sub`, unique per issuer), as the account
    keeps it: the same for every sign-in, so no cycle in it (cycle 0)."""
    return keyed_hash("oidc-subject", 0, issuer.rstrip("/"), subject)


def verified_identity_hash(cycle_id: int, account_subject_hash: str) -> str:
    """One verified identity in one cycle: what the declaration's UNIQUE constraint holds. Two
    cycles' hashes of one person cannot be linked without the key."""
    return keyed_hash("oidc-identity", cycle_id, account_subject_hash)
