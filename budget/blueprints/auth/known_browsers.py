"""A browser where someone signed in before keeps a signed cookie naming that account (by a
keyed hash of its address, never the address itself). Sign-in's limit per account, which
stops a botnet guessing one password from many addresses, does not apply to that browser:
such an attack cannot lock the owner out of the browser they use (OWASP's "device cookies").
The limits per client address still apply to it."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from budget.blueprints.rate_keys import submitted_email_key

COOKIE = "known_sign_in"
MAX_AGE_DAYS = 180


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-sign-in")


def _account_tag(email_key: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, email_key.encode(), hashlib.sha256).hexdigest()[:32]


def remember(response) -> None:
    """After a successful sign-in with the form's address: mark this browser as the
    account's."""
    response.set_cookie(
        COOKIE, _serializer().dumps(_account_tag(submitted_email_key())),
        max_age=MAX_AGE_DAYS * 24 * 3600, httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


def is_known() -> bool:
    """Whether this browser signed in before with the address the form names now."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return False
    try:
        tag = _serializer().loads(cookie, max_age=MAX_AGE_DAYS * 24 * 3600)
    except BadSignature:  # also SignatureExpired
        return False
    return isinstance(tag, str) and hmac.compare_digest(tag, _account_tag(submitted_email_key()))
