"""Optional error tracking with Sentry (or a Sentry-compatible server such as GlitchTip): off
unless SENTRY_DSN is set, and then it needs the `sentry` extra (`pip install '.[sentry]'`).

Every event goes through `scrub_event` before it leaves: receipt codes, access codes, signed
tokens (password reset and address links, photo tokens), one-time codes, email addresses,
cookies and the values of secret-named fields are replaced by "[Filtered]", wherever they sit
(message, exception text, stack variables, request URL, headers, breadcrumbs). No personal data
is sent on purpose either (send_default_pii=False): no user, no IP address.
"""
from __future__ import annotations

import re

from flask import Flask

FILTERED = "[Filtered]"
# Keys whose value is a secret or personal whatever it looks like (matched as substrings of
# the lower-cased key: "password_hash", "X-CSRFToken", "receipt_code", "census_identifier").
SECRET_KEYS = ("password", "passwd", "secret", "token", "csrf", "session", "cookie",
               "authorization", "receipt", "code", "email", "mail_to", "census", "identifier",
               "birth", "dsn", "api_key", "apikey")
SECRET_PATTERNS = [
    # Receipt and access codes: 3 groups of 4 from the unambiguous alphabet (domain/receipts.py).
    re.compile(r"(?<![A-Za-z0-9])[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}"
               r"(?![A-Za-z0-9])", re.IGNORECASE),
    # Email addresses.
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    # Signed links' tokens (itsdangerous: payload.timestamp.signature) and any long opaque
    # token (URL-safe base64 or hex, 24 characters or more), in URLs and text alike.
    re.compile(r"[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{16,}"),
    # (with a digit and a letter, so that long function names stay readable)
    re.compile(r"(?<![A-Za-z0-9_\-])(?=[A-Za-z_\-]*[0-9])(?=[0-9_\-]*[A-Za-z])"
               r"[A-Za-z0-9_\-]{24,}(?![A-Za-z0-9_\-])"),
    # Six-digit one-time codes and recovery codes of the second factor.
    re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])"),
    re.compile(r"(?<![0-9A-F])[0-9A-F]{5}-[0-9A-F]{5}(?![0-9A-F])", re.IGNORECASE),
]


# Where a stack frame says which code ran: kept as is (a long name is no secret).
CODE_KEYS = frozenset({"filename", "abs_path", "function", "module", "package", "lineno",
                       "colno", "in_app", "platform", "type", "mechanism"})


def _secret_key(key) -> bool:
    return isinstance(key, str) and any(word in key.lower() for word in SECRET_KEYS)


def scrub_text(text: str) -> str:
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(FILTERED, text)
    return text


def _holds_data(item) -> bool:
    """A value worth hiding: text or a container, not a number (a status code) or a flag."""
    return isinstance(item, (str, bytes, dict, list, tuple)) and len(item) > 0


def _scrub(value):
    if isinstance(value, dict):
        return {key: item if key in CODE_KEYS
                else FILTERED if _secret_key(key) and _holds_data(item)
                else _scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        # Headers come as [name, value] pairs: a secret-named header loses its value.
        if len(value) == 2 and _secret_key(value[0]) and isinstance(value[1], str):
            return [value[0], FILTERED]
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: the event with every secret replaced by "[Filtered]" (a new
    dict; numbers, booleans and None are kept). Never drops the event."""
    return _scrub(event)


def init_error_tracking(app: Flask) -> None:
    """Start the Sentry SDK when SENTRY_DSN is set; nothing otherwise. Raises RuntimeError if
    it is set but the `sentry` extra is not installed (a silent no-op would be worse)."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    try:
        import sentry_sdk
    except ImportError:
        raise RuntimeError("SENTRY_DSN is set but sentry-sdk is not installed: "
                           "pip install '.[sentry]' (or unset SENTRY_DSN)") from None
    sentry_sdk.init(dsn=dsn, environment=app.config.get("SENTRY_ENVIRONMENT"),
                    send_default_pii=False, before_send=scrub_event,
                    before_send_transaction=scrub_event,
                    traces_sample_rate=app.config.get("SENTRY_TRACES_SAMPLE_RATE", 0.0),
                    max_request_body_size="never")
