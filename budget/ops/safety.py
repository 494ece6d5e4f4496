"""Refuse to serve on a configuration that is unsafe in production.

Called by the gunicorn configuration (`deploy/gunicorn.conf.py`) before any worker starts,
so a mistake stops the server with one clear line instead of running half-protected.
"""
from __future__ import annotations

from collections.abc import Mapping

from config import DEV_SECRET_KEY, is_public_https_url

TRUE_WORDS = {"1", "true", "yes", "on"}


def unsafe_reasons(environ: Mapping[str, str], workers: int) -> list[str]:
    """What is wrong with serving with `environ` and `workers` worker processes (empty: fine)."""
    reasons = []
    if environ.get("BUDGET_ENV") != "production":
        reasons.append("BUDGET_ENV must be 'production'.")
    key = environ.get("SECRET_KEY", "")
    if not key or key == DEV_SECRET_KEY or len(key) < 32:
        reasons.append("SECRET_KEY must be a real secret of at least 32 characters.")
    if not is_public_https_url(environ.get("PUBLIC_URL")):
        reasons.append("PUBLIC_URL must be the platform's https address "
                       "(https://budget.example.fr): links in emails are built from it.")
    if not environ.get("MAIL_SERVER") and environ.get("MAIL_DISABLED") != "1":
        reasons.append("MAIL_SERVER must be set (or MAIL_DISABLED=1 to send no email at all): "
                       "emails are never written to the production log.")
    if environ.get("FLASK_DEBUG", "").lower() in TRUE_WORDS:
        reasons.append("FLASK_DEBUG must be off: the debugger runs any code a visitor sends.")
    database = environ.get("DATABASE_URL", "")
    if workers > 1 and (not database or database.startswith("sqlite")):
        reasons.append("SQLite cannot serve several workers: set DATABASE_URL to PostgreSQL "
                       "(or run one worker).")
    if workers > 1 and not environ.get("REDIS_URL"):
        reasons.append("REDIS_URL must be set with several workers: rate limits and jobs "
                       "are shared through Redis.")
    issuer = environ.get("OIDC_ISSUER")
    if issuer and not issuer.startswith("https://"):
        reasons.append("OIDC_ISSUER must be an https address: the identity provider's keys and "
                       "tokens travel through it.")
    if issuer and not (environ.get("OIDC_CLIENT_ID") and environ.get("OIDC_CLIENT_SECRET")):
        reasons.append("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set with OIDC_ISSUER "
                       "(the sign-in through the identity provider).")
    return reasons
