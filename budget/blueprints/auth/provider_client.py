"""The OpenID Connect client: Authlib's Flask integration does all of the protocol.

Authlib keeps the `state`, `nonce` and PKCE `code_verifier` in the session when the sign-in
starts, and at the callback checks the state, sends the verifier with the code, and verifies
the ID token (signature against the provider's published keys, issuer, audience, expiry,
nonce). This module only picks the settings (config.py, a profile per provider) and turns
each way a sign-in can fail into a message for the resident (French first).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, session

from budget.domain.errors import DomainError
from budget.domain.phases import N_
from budget.links import public_url
from budget.services import identity_hash
from budget.services.provider_accounts import VerifiedIdentity, parse_birth_date

# Authlib, joserfc and requests (with cryptography under them: ~0.1 s of every process's
# start) are imported by the functions that talk to the provider, at the first sign-in.
if TYPE_CHECKING:
    from authlib.integrations.flask_client import FlaskOAuth2App

log = logging.getLogger(__name__)
# The session key of the ID token of a sign-in through the provider. bandit B105: a key name.
ID_TOKEN_KEY = "provider_id_token"  # nosec B105

FRANCECONNECT_CLAIMS = ("given_name", "family_name", "birthdate", "birthplace", "birthcountry",
                        "gender", "email", "preferred_username")


@dataclass(frozen=True)
class Profile:
    scopes: str
    acr_values: str | None
    label: str  # an English msgid
    # Whether the claims come from the userinfo endpoint (FranceConnect puts none in the ID
    # token) and whether the provider vouches for the email address.
    userinfo: bool
    trusts_email: bool


PROFILES = {
    "generic": Profile("openid email profile", None, N_("Sign in with your identity provider"),
                       userinfo=False, trusts_email=False),
    # eidas1: FranceConnect's level (a "substantial" eIDAS level would be eidas2, through
    # FranceConnect+ only).
    "franceconnect": Profile("openid " + " ".join(FRANCECONNECT_CLAIMS), "eidas1",
                             N_("Sign in with FranceConnect"), userinfo=True,
                             trusts_email=True),
}

STATE_LOST = N_("This sign-in could not be checked: it was started in another window, or "
                "long ago. Start again from the sign-in page.")
PROVIDER_REFUSED = N_("The identity provider refused this sign-in (a link opened twice, or "
                      "cancelled). Nothing was recorded: start again from the sign-in page.")
TOKEN_INVALID = N_("The proof of identity sent by the provider could not be verified. Nothing "
                   "was recorded: start again from the sign-in page.")
PROVIDER_DOWN = N_("The identity provider cannot be reached right now. Try again later, or "
                   "sign in with your email address and password.")
NO_SUBJECT = N_("The identity provider did not say who you are. Nothing was recorded: start "
                "again from the sign-in page.")


class SignInRefused(DomainError):
    """A sign-in through the provider that cannot go on; nothing was written."""


def profile() -> Profile:
    return PROFILES.get(current_app.config.get("OIDC_PROFILE") or "generic",
                        PROFILES["generic"])


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def is_franceconnect() -> bool:
    return current_app.config.get("OIDC_PROFILE") == "franceconnect"


def button_label() -> str | None:
    """The settings' label, or None for the profile's (translated by the template)."""
    return current_app.config.get("OIDC_BUTTON_LABEL") or None


def client() -> FlaskOAuth2App:
    """The app's client for the current settings (built again when they change: the tests
    point one app at several providers); the provider's discovery document is read once."""
    config = current_app.config
    issuer = config["OIDC_ISSUER"].rstrip("/")
    settings = (issuer, config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET"),
                config.get("OIDC_SCOPES") or profile().scopes,
                config.get("OIDC_TOKEN_AUTH_METHOD"), config.get("OIDC_TIMEOUT"))
    cached = current_app.extensions.get("budget_oidc")
    if cached is None or cached[0] != settings:
        from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
        made = FlaskOAuth2App(
            FlaskIntegration("oidc"), "oidc", client_id=settings[1], client_secret=settings[2],
            server_metadata_url=issuer + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings[3], "code_challenge_method": "S256",
                           "token_endpoint_auth_method": settings[4],
                           "default_timeout": settings[5]})
        cached = current_app.extensions["budget_oidc"] = (settings, made)
    return cached[1]


def start(redirect_uri: str):
    """The redirect to the provider's sign-in page. Raises SignInRefused when the provider
    cannot be reached (its discovery document)."""
    extra = {}
    acr = current_app.config.get("OIDC_ACR_VALUES") or profile().acr_values
    if acr:
        extra["acr_values"] = acr
    import requests
    try:
        return client().authorize_redirect(redirect_uri, **extra)
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID Connect: discovery failed: %s", type(error).__name__)
        raise SignInRefused(PROVIDER_DOWN) from None


def finish() -> tuple[VerifiedIdentity, str]:
    """At the callback: the verified identity and the raw ID token (kept for the sign-out,
    as `id_token_hint`). Raises SignInRefused with what the resident should read."""
    import requests
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
    from joserfc.errors import JoseError
    oidc = client()
    try:
        token = oidc.authorize_access_token(claims_options=_claims_options(oidc))
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            raise SignInRefused(NO_SUBJECT)
        if profile().userinfo:
            claims = _with_userinfo(oidc, token, claims)
    except MismatchingStateError:
        raise SignInRefused(STATE_LOST) from None
    except OAuthError as error:  # the provider's answer: access_denied, invalid_grant...
        log.warning("OpenID Connect: refused by the provider: %s", error.error)
        raise SignInRefused(PROVIDER_REFUSED) from None
    except JoseError as error:  # signature, issuer, audience, expiry, nonce (or userinfo)
        log.warning("OpenID Connect: ID token or userinfo refused: %s", type(error).__name__)
        raise SignInRefused(TOKEN_INVALID) from None
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID Connect: provider unreachable: %s", type(error).__name__)
        raise SignInRefused(PROVIDER_DOWN) from None
    issuer = oidc.load_server_metadata().get("issuer") or current_app.config["OIDC_ISSUER"]
    identity = VerifiedIdentity(
        subject_hash=identity_hash.subject_hash(issuer, str(claims["sub"])),
        email=claims.get("email") or None,
        email_trusted=profile().trusts_email or claims.get("email_verified") is True,
        given_name=str(claims.get("given_name") or claims.get("preferred_username") or "")[:80],
        birth_date=parse_birth_date(claims.get("birthdate")))
    return identity, token["id_token"]


def _claims_options(oidc) -> dict:
    """What the ID token must say, for joserfc to check: the issuer of the discovery document,
    and this client among the audience. Authlib alone checks the audience only through `azp`
    (a token for another client that names this one as `azp` would pass)."""
    issuer = oidc.load_server_metadata().get("issuer") or current_app.config["OIDC_ISSUER"]
    return {"iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [oidc.client_id]}}


def _with_userinfo(oidc, token, claims: dict) -> dict:
    """The ID token's claims with the userinfo endpoint's, whose `sub` must be the ID token's
    (OpenID Connect Core 5.3.2). FranceConnect signs its answer (application/jwt): joserfc
    checks it against the provider's keys, as Authlib does the ID token."""
    response = oidc.get(oidc.load_server_metadata()["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        from joserfc import jwt
        from joserfc.jwk import KeySet
        keys = KeySet.import_key_set(oidc.fetch_jwk_set())
        extra = jwt.decode(response.text, keys).claims
        # When it names its issuer and audience (it SHOULD), they are the ID token's.
        options = _claims_options(oidc)
        jwt.JWTClaimsRegistry(iss={**options["iss"], "essential": False},
                              aud={**options["aud"], "essential": False}).validate(extra)
    else:
        extra = response.json()
    if str(extra.get("sub")) != str(claims["sub"]):
        raise SignInRefused(TOKEN_INVALID)
    return {**extra, **claims}


def logout_redirect(id_token: str, post_logout_redirect_uri: str):
    """The redirect to the provider's end_session_endpoint with the ID token as hint, or None
    when the provider cannot be reached or has none (the platform's session is over anyway)."""
    import requests
    try:
        return client().logout_redirect(post_logout_redirect_uri=post_logout_redirect_uri,
                                        id_token_hint=id_token)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        log.warning("OpenID Connect: no sign-out at the provider: %s", type(error).__name__)
        return None


def take_id_token() -> str | None:
    """The session's ID token from the provider, if it came from one (read before the session
    is cleared at sign-out)."""
    return session.get(ID_TOKEN_KEY)


def sign_out_redirect(id_token: str | None, response):
    """At sign-out: the redirect to the provider's end_session_endpoint (with `id_token_hint`)
    when the session came from it, so that signing out here signs out there too (what
    FranceConnect's guidelines require); otherwise `response`."""
    if not id_token or not enabled():
        return response
    return logout_redirect(id_token, public_url("public.home")) or response
