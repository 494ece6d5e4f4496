"""HTTP security headers on every response.

Written here rather than with Flask-Talisman (unmaintained since 2023): a handful of headers,
one function. The CSP allows no inline script and no third-party origin: the app serves all
of its own assets and must work on a closed network.
"""
from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
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
