"""Absolute links (in emails, letters, exports) built from the PUBLIC_URL setting.

Flask builds `url_for(..., _external=True)` from the Host header of the request, which the
visitor chooses: a reset link asked for with `Host: evil.example` would mail the victim a
link to the attacker's site, carrying a token that works on the real one. Here SERVER_NAME
and the scheme come from PUBLIC_URL, so every absolute link names the platform, inside a
request or outside one (jobs, commands).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for


def configure_public_url(app: Flask) -> None:
    """Derive SERVER_NAME, PREFERRED_URL_SCHEME and the trusted hosts from PUBLIC_URL.

    In Flask >= 3.1 SERVER_NAME does not restrict which hosts are served; TRUSTED_HOSTS, when
    set, does, and the public host is then always among them."""
    public = urlsplit(app.config.get("PUBLIC_URL") or "")
    if not public.netloc:
        return
    app.config["SERVER_NAME"] = public.netloc
    app.config["PREFERRED_URL_SCHEME"] = public.scheme or "https"
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is not None and public.hostname not in trusted:
        app.config["TRUSTED_HOSTS"] = [*trusted, public.hostname]


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the platform's public address."""
    return url_for(endpoint, _external=True,
                   _scheme=current_app.config["PREFERRED_URL_SCHEME"], **values)


def site_url() -> str:
    """The platform's public address, as residents type it (no trailing slash)."""
    return (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
