"""The second step of a staff sign-in: a time-based one-time code (TOTP, RFC 6238: any
authenticator app) or one of the recovery codes shown once at set-up.

Required for the roles that publish results, change roles or read census data (commune staff,
staff, council, admin) when the installation's REQUIRE_STAFF_TOTP is on (the default in
production), and asked of anyone who has set one up. Wrong codes change nothing here; the code
pages' rate limit counts them per account (budget/blueprints/auth/second_factor.py).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone

import pyotp
from flask import current_app

from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import Role, SecondFactor, User
from budget.models.time import utcnow
from budget.services.transaction import use_case

SECOND_FACTOR_ROLES = frozenset({Role.COMMUNE_STAFF, Role.STAFF, Role.COUNCIL, Role.ADMIN})
RECOVERY_CODES = 10
ISSUER = "Budget participatif"


def required_for(user: User) -> bool:
    """Whether this installation requires a second factor of this person (by role)."""
    return bool(current_app.config.get("REQUIRE_STAFF_TOTP")) and user.role in SECOND_FACTOR_ROLES


def confirmed_factor(user: User) -> SecondFactor | None:
    factor = db.session.get(SecondFactor, user.id)
    return factor if factor is not None and factor.confirmed_at is not None else None


def needs_second_step(user: User) -> bool:
    """After the right password: does the sign-in need a code too?"""
    return confirmed_factor(user) is not None or required_for(user)


@use_case
def begin_setup(user: User) -> str:
    """The secret of a set-up not yet confirmed (a new one the first time). One commit.
    Raises DomainError if the person already has a confirmed second factor."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is not None and factor.confirmed_at is not None:
        raise DomainError("A second factor is already set up for this account.")
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), recovery_hashes=[])
        db.session.add(factor)
    return factor.secret


def pending_secret(user: User) -> str | None:
    """The secret of the set-up under way (begun, not confirmed), or None. Reads only."""
    factor = db.session.get(SecondFactor, user.id)
    return factor.secret if factor is not None and factor.confirmed_at is None else None


def setup_qr_svg(user: User, secret: str) -> str:
    """The otpauth:// URI of `secret` as an inline SVG QR code (markup to embed as is)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    import segno    # (the QR code's encoder: only where one is drawn)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff",
                                                 omitsize=False)


@use_case
def confirm_setup(user: User, code: str) -> list[str]:
    """Confirm the set-up with a first code from the app; returns the recovery codes, in clear
    for the only time (only their hashes are stored). One commit. Raises DomainError on a wrong
    code."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is None or factor.confirmed_at is not None:
        raise DomainError("Start the set-up of the second factor again.")
    step = _totp_step(factor, code)
    if step is None:
        raise _wrong_code()
    factor.last_step = step
    factor.confirmed_at = utcnow()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    factor.recovery_hashes = [_digest(code) for code in codes]
    return codes


@use_case
def verify(user: User, code: str) -> bool:
    """Check a sign-in code: a TOTP code not used before, or an unused recovery code (then
    spent). Returns True when a recovery code was used. One commit; raises DomainError on a
    wrong code (then nothing is written)."""
    factor = confirmed_factor(user)
    if factor is None:
        raise DomainError("No second factor is set up for this account.")
    step = _totp_step(factor, code)
    recovery = False
    if step is not None:
        factor.last_step = step
    else:
        digest = _digest(code)
        kept = [h for h in factor.recovery_hashes if not hmac.compare_digest(h, digest)]
        if len(kept) == len(factor.recovery_hashes):
            raise _wrong_code()
        factor.recovery_hashes = kept
        recovery = True
    return recovery


@use_case
def remove(user: User, actor) -> bool:
    """Remove the person's second factor (a lost phone and lost recovery codes), so that their
    next sign-in sets up a new one; recorded in the audit log. One commit. Returns False when
    there was none."""
    from budget.services import audit

    factor = db.session.get(SecondFactor, user.id)
    if factor is None:
        return False
    db.session.delete(factor)
    user.session_version += 1  # whoever holds the lost phone's sessions is signed out
    audit.record(actor, "account.second_factor_remove", user)
    return True


def _totp_step(factor: SecondFactor, code: str) -> int | None:
    """The time step whose code `code` is (this one, or one step either side for clocks a
    little off), if later than the last accepted; None otherwise."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(datetime.now(timezone.utc))
    for step in (current - 1, current, current + 1):
        if factor.last_step is not None and step <= factor.last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _wrong_code() -> DomainError:
    return DomainError("This code is not right. Check your app's code for this site, or use a "
                       "recovery code.", field="code")


def _new_recovery_code() -> str:
    raw = secrets.token_hex(5).upper()  # 40 random bits, read out as two groups of five
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str) -> str:
    normalized = "".join(code.split()).upper().replace("-", "")
    return hashlib.sha256(normalized.encode()).hexdigest()
