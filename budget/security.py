"""HTTP security headers on every response.

Written here rather than with Flask-Talisman (unmaintained since 2023): a handful of headers,
one function. The CSP allows no inline script and no third-party origin, but for the map tiles'
(MAP_TILE_URL, images only): the app serves all of its own assets and works on a closed
network (with MAP_TILE_URL empty, maps show their markers without a background).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request


def content_security_policy(tile_url: str | None) -> str:
    tiles = urlsplit(tile_url or "")
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if tiles.scheme and tiles.netloc else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data:{tile_origin}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def register_security_headers(app: Flask) -> None:
    policy = content_security_policy(app.config.get("MAP_TILE_URL"))

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
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
