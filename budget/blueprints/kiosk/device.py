"""The kiosk's own cookie: a random token signed with the app's secret, sent only to /kiosk
pages, apart from the session cookie (a kiosk is no one's session: opening it signs its
device's staff member out). Only the token's hash is stored (services/kiosks.py), so
revoking the kiosk takes effect at its next request."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from budget.models import Kiosk
from budget.models.time import utcnow
from budget.services import kiosks

COOKIE = "budget_kiosk"
PATH = "/kiosk"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="budget-kiosk")


def set_cookie(response, token: str, until: datetime) -> None:
    """Make the browser of `response` the kiosk of `token`, until `until` (the vote's end)."""
    response.set_cookie(COOKIE, _signer().dumps(token), path=PATH, httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                        samesite="Strict",
                        max_age=max(0, int((until - utcnow()).total_seconds())))


def current_kiosk() -> Kiosk | None:
    """The kiosk this request comes from, unless its cookie is missing, forged or revoked."""
    sent = request.cookies.get(COOKIE)
    if not sent:
        return None
    try:
        token = _signer().loads(sent)
    except BadSignature:
        return None
    return kiosks.live_kiosk(token) if isinstance(token, str) else None


def kiosk_key() -> str:
    """Rate limits per kiosk (many voters share a station's address)."""
    return f"kiosk:{request.cookies.get(COOKIE, '')[:60]}"
