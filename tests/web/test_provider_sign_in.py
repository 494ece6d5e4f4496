"""Sign in with OpenID Connect against a real provider on a local port (tests/oidc_provider.py):
the whole flow through the platform and the provider, the first sign-in (a new account, or an
existing one linked with its password), the sign-out at the provider, and every refusal, each
with a French message and nothing written."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from budget.extensions import db
from budget.models import ProviderIdentity, User
from budget.services import identity_hash
from tests import factories
from tests.conftest import Browser, rate_limited_app, table_snapshot
from tests.oidc_provider import callback_path, query_of, running_provider

MARIE = {"email": "marie.dupont@example.fr", "email_verified": True, "given_name": "Marie",
         "family_name": "Dupont", "birthdate": "1980-04-12", "gender": "female",
         "preferred_username": "Dupont"}


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def oidc_app(app, monkeypatch, provider):
    for key, value in {"OIDC_ISSUER": provider.url, "OIDC_CLIENT_ID": "budget-tests",
                       "OIDC_CLIENT_SECRET": "test-secret", "OIDC_PROFILE": "generic"}.items():
        monkeypatch.setitem(app.config, key, value)
    provider.spoil = None
    yield app
    provider.spoil = None


@pytest.fixture
def w(session, oidc_app):
    return factories.world()


def start(browser) -> str:
    """The resident presses the button: the platform sends them to the provider."""
    response = browser.get("/login/provider")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sign_in_at_provider(browser, provider, sub: str, claims: dict):
    provider.set_user(sub, claims)
    back = provider.authorize(start(browser), sub)
    return browser.get(callback_path(back))


def flashed(browser, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser.get(response.headers["Location"]).get_data(as_text=True)


def signed_in(browser) -> bool:
    with browser.client.session_transaction() as session:
        return "_user_id" in session


def identities() -> int:
    return db.session.scalar(select(func.count()).select_from(ProviderIdentity))


def test_the_start_asks_the_provider_for_a_code_with_state_nonce_and_pkce(browser, w, provider):
    params = query_of(start(browser))
    assert params["response_type"] == "code" and params["client_id"] == "budget-tests"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert params["state"] and params["nonce"]
    assert params["redirect_uri"] == "http://localhost/login/provider/callback"
    assert set(params["scope"].split()) == {"openid", "email", "profile"}


def test_a_first_sign_in_creates_an_account_linked_to_a_hash_of_the_identity(browser, w,
                                                                            provider):
    response = sign_in_at_provider(browser, provider, "fc-marie", MARIE)
    assert response.headers["Location"].endswith("/login/provider/new")
    assert identities() == 0  # nothing before the resident confirms
    page = browser.get("/login/provider/new").get_data(as_text=True)
    assert "marie.dupont@example.fr" in page and 'value="Marie"' in page
    response = browser.post("/login/provider/new", {"display_name": "Marie D.",
                                                    "home_commune_id": w.north.id})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "marie.dupont@example.fr"))
    link = db.session.scalar(select(ProviderIdentity).where(ProviderIdentity.user_id == user.id))
    assert link.subject_hash == identity_hash.subject_hash(provider.url, "fc-marie")
    assert "fc-marie" not in str(table_snapshot())  # only its keyed hash is stored
    assert link.birth_date == date(1980, 4, 12)
    assert user.home_commune_id == w.north.id and user.email_verified
    assert signed_in(browser)
    browser.logout()
    # The next sign-in finds the account at once.
    response = sign_in_at_provider(browser, provider, "fc-marie", MARIE)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(browser) and identities() == 1


def test_an_existing_account_is_linked_only_with_its_password(browser, w, provider):
    claims = {**MARIE, "email": "alice@example.fr"}
    response = sign_in_at_provider(browser, provider, "fc-alice", claims)
    assert response.headers["Location"].endswith("/login/provider/link")
    wrong = browser.post("/login/provider/link", {"password": "not the password"},
                         headers={"Accept-Language": "fr"})
    assert wrong.status_code == 422 and "Mot de passe incorrect" in wrong.get_data(as_text=True)
    assert identities() == 0 and not signed_in(browser)
    right = browser.post("/login/provider/link", {"password": factories.PASSWORD})
    assert right.status_code == 302
    link = db.session.scalar(select(ProviderIdentity))
    assert link.user_id == w.users["alice"].id and signed_in(browser)


def test_signing_out_signs_out_of_the_provider_with_the_id_token_as_hint(browser, w, provider):
    sign_in_at_provider(browser, provider, "fc-alice", {**MARIE, "email": "alice@example.fr"})
    browser.post("/login/provider/link", {"password": factories.PASSWORD})
    response = browser.logout()
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(provider.url + "/oauth2/end_session?")
    params = query_of(location)
    assert params["post_logout_redirect_uri"] == "http://localhost/"
    assert params["id_token_hint"].count(".") == 2  # the ID token the provider issued
    assert not signed_in(browser)


def test_a_password_sign_in_signs_out_here_only(browser, w):
    browser.login("alice@example.fr")
    assert browser.logout().headers["Location"] == "/"


@pytest.mark.parametrize("spoil, reason", [("bad_signature", "BadSignatureError"),
                                           ("wrong_audience", "InvalidClaimError"),
                                           ("expired", "ExpiredTokenError")])
def test_a_spoiled_id_token_is_refused_with_nothing_written(browser, w, provider, spoil, reason,
                                                            caplog):
    before = table_snapshot()
    provider.spoil = spoil
    response = sign_in_at_provider(browser, provider, "fc-marie", MARIE)
    page = flashed(browser, response)
    assert "La preuve d’identité envoyée par le fournisseur n’a pas pu être vérifiée" in page
    assert f"ID token or userinfo refused: {reason}" in caplog.text  # refused for that reason
    assert table_snapshot() == before and not signed_in(browser)


def test_a_wrong_state_is_refused(browser, w, provider):
    provider.set_user("fc-marie", MARIE)
    back = provider.authorize(start(browser), "fc-marie")
    params = query_of(back)
    response = browser.get(f"/login/provider/callback?code={params['code']}&state=forged")
    assert "Cette connexion n’a pas pu être vérifiée" in flashed(browser, response)
    assert identities() == 0 and not signed_in(browser)


def test_a_replayed_code_is_refused_by_the_provider(browser, w, provider):
    provider.set_user("fc-marie", MARIE)
    first = query_of(provider.authorize(start(browser), "fc-marie"))
    browser.get(f"/login/provider/callback?code={first['code']}&state={first['state']}")
    other = query_of(start(browser))  # a new sign-in, to which the old code is sent
    before = table_snapshot()
    response = browser.get(f"/login/provider/callback?code={first['code']}"
                           f"&state={other['state']}")
    assert "Le fournisseur d’identité a refusé cette connexion" in flashed(browser, response)
    assert table_snapshot() == before and not signed_in(browser)


def test_a_sign_in_cancelled_at_the_provider_is_refused(browser, w, provider):
    response = browser.get(callback_path(provider.deny(start(browser))))
    assert "Le fournisseur d’identité a refusé cette connexion" in flashed(browser, response)


def test_a_provider_down_at_the_start_is_told(browser, w, monkeypatch, oidc_app):
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", "http://127.0.0.1:9")
    response = browser.get("/login/provider")
    assert "Le fournisseur d’identité ne répond pas" in flashed(browser, response)


def test_a_provider_down_at_the_callback_is_told_with_nothing_written(browser, w, monkeypatch,
                                                                      oidc_app):
    with running_provider() as brief:
        monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", brief.url)
        brief.set_user("fc-marie", MARIE)
        back = brief.authorize(start(browser), "fc-marie")
    before = table_snapshot()
    response = browser.get(callback_path(back))
    assert "Le fournisseur d’identité ne répond pas" in flashed(browser, response)
    assert table_snapshot() == before and not signed_in(browser)


def test_the_pages_of_a_first_sign_in_need_a_verified_identity(browser, w):
    for path in ("/login/provider/new", "/login/provider/link"):
        assert browser.get(path).headers["Location"] == "/login"


def test_the_sign_in_is_off_without_settings(browser, session, app):
    assert app.config["OIDC_ISSUER"] is None
    assert browser.get("/login/provider").status_code == 404
    assert "/login/provider" not in browser.get("/login").get_data(as_text=True)


def test_the_login_page_shows_the_franceconnect_button(browser, w, monkeypatch, oidc_app):
    monkeypatch.setitem(oidc_app.config, "OIDC_PROFILE", "franceconnect")
    page = browser.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "S’identifier avec" in page and "FranceConnect</strong>" in page
    assert "Qu’est-ce que FranceConnect" in page
    params = query_of(start(browser))
    assert params["acr_values"] == "eidas1"
    assert {"given_name", "family_name", "birthdate", "birthplace", "birthcountry",
            "gender", "email", "preferred_username"} <= set(params["scope"].split())


def test_forms_may_lead_to_the_provider_for_its_sign_out(browser, w, provider):
    """Browsers apply `form-action` to where the sign-out form's redirect goes."""
    policy = browser.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url}" in policy


def test_franceconnects_signed_userinfo_gives_the_claims(browser, w, monkeypatch, oidc_app,
                                                         provider):
    """FranceConnect's ID token names the person only by `sub`; its userinfo answer, a JWT
    signed by the provider, gives the rest."""
    monkeypatch.setitem(oidc_app.config, "OIDC_PROFILE", "franceconnect")
    monkeypatch.setitem(oidc_app.config, "OIDC_SCOPES", "openid email profile")  # the mock's
    provider.signed_userinfo = "yes"
    try:
        sign_in_at_provider(browser, provider, "fc-marie", MARIE)
        page = browser.get("/login/provider/new").get_data(as_text=True)
    finally:
        provider.signed_userinfo = None
    assert "marie.dupont@example.fr" in page and 'value="Marie"' in page


@pytest.mark.parametrize("spoil", ["other_sub", "other_audience"])
def test_a_userinfo_answer_about_someone_else_or_for_another_client_is_refused(
        browser, w, monkeypatch, oidc_app, provider, spoil):
    monkeypatch.setitem(oidc_app.config, "OIDC_PROFILE", "franceconnect")
    monkeypatch.setitem(oidc_app.config, "OIDC_SCOPES", "openid email profile")
    provider.signed_userinfo = spoil
    try:
        response = sign_in_at_provider(browser, provider, "fc-marie", MARIE)
    finally:
        provider.signed_userinfo = None
    assert "n’a pas pu être vérifiée" in flashed(browser, response)
    assert identities() == 0 and not signed_in(browser)


def test_a_provider_down_at_sign_out_still_signs_out_here(browser, w, monkeypatch, oidc_app,
                                                          provider):
    sign_in_at_provider(browser, provider, "fc-alice", {**MARIE, "email": "alice@example.fr"})
    browser.post("/login/provider/link", {"password": factories.PASSWORD})
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", "http://127.0.0.1:9")
    response = browser.logout()
    assert response.headers["Location"] == "/" and not signed_in(browser)


def test_guessing_the_password_of_the_account_to_link_is_limited_per_account(tmp_path,
                                                                             provider):
    """From many addresses (each under its own limit), the wrong passwords of one account
    still add up: 30 an hour, as on the sign-in form."""
    with rate_limited_app(tmp_path, OIDC_ISSUER=provider.url, OIDC_CLIENT_ID="budget-tests",
                          OIDC_CLIENT_SECRET="secret") as limited:
        with limited.app_context():
            factories.world()
        browser = Browser(limited.test_client())
        sign_in_at_provider(browser, provider, "fc-alice", {**MARIE, "email": "alice@example.fr"})
        statuses = [browser.post("/login/provider/link", {"password": f"guess {n}"},
                                 environ_base={"REMOTE_ADDR": f"10.0.{n}.1"}).status_code
                    for n in range(31)]
        assert statuses[:30] == [422] * 30 and statuses[30] == 429
