"""A real OpenID Connect provider on a local port for the sign-in tests: oidc-provider-mock
(pinned in the test extra), served by werkzeug in a thread, behind a small WSGI layer that can
spoil the ID tokens it issues, the way an attacker or a broken provider would.

The layer never touches the protocol otherwise: discovery, the authorization page, codes,
token exchange and key publication are the provider's own. To spoil a token it changes its
claims and signs it again with the provider's own key (a wrong audience, an expired token:
refused for that reason, not for the signature), or signs it with a key of its own that the
provider never published (a bad signature).
"""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import flask
import requests
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey

import oidc_provider_mock

_ROGUE = RSAKey.generate_key(2048)
ID_TOKEN_ONLY = {"iss", "sub", "aud", "exp", "iat", "nonce", "at_hash", "auth_time", "acr", "amr",
                 "azp"}


@dataclass
class Provider:
    url: str
    spoil: str | None = None  # None, "bad_signature", "wrong_audience", "expired"
    # FranceConnect's way: the userinfo answer as a JWT signed by the provider, and its claims
    # there only (none in the ID token but `sub`); "other_sub": for another person.
    signed_userinfo: str | None = None  # None, "yes", "other_sub", "other_audience"
    client_id: str = "budget-tests"  # the audience of its signed userinfo answers
    server: object = field(default=None, repr=False)
    key: object = field(default=None, repr=False)  # the provider's own signing key

    def set_user(self, sub: str, claims: dict) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What the resident does on the provider's page (pick the identity, authorize): the
        URL the provider sends the browser back to."""
        assert authorize_url.startswith(self.url + "/oauth2/authorize?"), authorize_url
        answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False,
                               timeout=5)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def deny(self, authorize_url: str) -> str:
        answer = requests.post(authorize_url, data={"action": "deny"}, allow_redirects=False,
                               timeout=5)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]


class _Spoiler:
    """WSGI middleware: the provider's answers, some of them spoiled as `provider.spoil` says."""

    def __init__(self, app, provider: Provider):
        self.app, self.provider = app, provider

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        token_spoiled = path == "/oauth2/token" and (self.provider.spoil
                                                     or self.provider.signed_userinfo)
        if not (token_spoiled or (path == "/userinfo" and self.provider.signed_userinfo)):
            return self.app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if captured["status"].startswith("200") and path == "/userinfo":
            claims = json.loads(body)
            claims.update(iss=self.provider.url, aud=self.provider.client_id)
            if self.provider.signed_userinfo == "other_sub":
                claims["sub"] = "someone-else"
            elif self.provider.signed_userinfo == "other_audience":
                claims["aud"] = "another-platform"
            body = jwt.encode({"alg": "RS256"}, claims, self.provider.key).encode()
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            headers.append(("Content-Type", "application/jwt"))
        elif captured["status"].startswith("200"):
            data = json.loads(body)
            data["id_token"] = _spoiled(data["id_token"], self.provider)
            body = json.dumps(data).encode()
        start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
        return [body]


def _spoiled(id_token: str, provider: Provider) -> str:
    claims = jwt.decode(id_token, provider.key).claims
    key = provider.key
    if provider.signed_userinfo:
        claims = {name: value for name, value in claims.items() if name in ID_TOKEN_ONLY}
    if provider.spoil is None:
        pass
    elif provider.spoil == "wrong_audience":
        # For another client, naming this one as its authorized party: the audience alone
        # tells that it is not this platform's.
        claims["aud"], claims["azp"] = "another-platform", claims["aud"]
    elif provider.spoil == "expired":
        claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
    elif provider.spoil == "bad_signature":
        key = _ROGUE
    else:
        raise ValueError(provider.spoil)
    return jwt.encode({"alg": "RS256"}, claims, key)


@contextmanager
def running_provider(**options):
    """A provider on a free local port for the block; yields a Provider."""
    app = oidc_provider_mock.app(require_nonce=True, **options)
    provider = Provider(url="")
    server = werkzeug.serving.make_server("localhost", 0, _Spoiler(app, provider),
                                          threaded=True)
    provider.url = f"http://localhost:{server.server_port}"
    provider.server = server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    provider.key = _signing_key(app)
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


def _signing_key(app) -> RSAKey:
    """The provider's private key: its storage is set on `g` before each of its requests."""
    with app.test_request_context():
        app.preprocess_request()
        key = flask.g.oidc_provider_mock_storage.jwk
        return RSAKey.import_key(key.as_dict(is_private=True))


def callback_path(location: str) -> str:
    """The platform's path and query of the provider's redirect (the test client's URL)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
