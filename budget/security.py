"""HTTP security headers on every response.

Written here rather than with Flask-Talisman (unmaintained since 2023): a handful of headers,
one function. The CSP allows no inline script and no third-party origin, but for the map tiles'
(MAP_TILE_URL, images only): the app serves all of its own assets and works on a closed
network (with MAP_TILE_URL empty, maps show their markers without a background). With a sign-in
through an identity provider (OIDC_ISSUER), forms may also lead to the provider's origin: the
sign-out form's answer sends the browser to the provider's end_session_endpoint, and browsers
apply `form-action` to where a form's redirects go.
"""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Flask, request


def _origin(url: str | None) -> str:
    parts = urlsplit(url or "")
    return f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@functools.lru_cache(maxsize=8)
def content_security_policy(tile_url: str | None, identity_provider: str | None = None) -> str:
    tile_origin = _origin(tile_url)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data:{tile_origin}",
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action 'self'{_origin(identity_provider)}",
        "frame-ancestors 'none'",
    ])


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(
            app.config.get("MAP_TILE_URL"), app.config.get("OIDC_ISSUER")))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security",
                               "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages may show a person's own data (their receipt, their proposals).
            headers.setdefault("Cache-Control", "no-store")
        return response
