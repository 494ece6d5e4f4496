"""Accounts through the browser: register, sign in, sign out, and what each refuses."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from argon2 import PasswordHasher

from budget.extensions import db
from budget.mail import outbox
from budget.models import Role, User
from tests import factories

EN = {"Accept-Language": "en"}
WHO = re.compile(r'<a class="who" href="/account">([^<]*)</a>')


@pytest.fixture
def w(session):
    return factories.world()


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def signed_in_as(browser) -> str | None:
    """The display name in the page header, or None for a visitor."""
    match = WHO.search(browser.get("/").get_data(as_text=True))
    return match.group(1) if match else None


def registration(w, **changes) -> dict:
    form = {"email": "camille@example.fr", "display_name": "Camille",
            "home_commune_id": w.south.id, "password": "un mot de passe", "confirm":
            "un mot de passe"}
    form.update(changes)
    if "password" in changes and "confirm" not in changes:
        form["confirm"] = changes["password"]
    return form


def field_error(page: str, field: str) -> bool:
    return f'id="{field}-error"' in page


# --- Registration ---------------------------------------------------------------------------

def test_register_form_offers_the_communes(browser, w):
    page = browser.get("/register").get_data(as_text=True)
    for commune in (w.north, w.south, w.elsewhere):
        assert f'value="{commune.id}"' in page


def test_register_creates_a_citizen_who_then_signs_in(browser, w):
    before = user_count()
    response = browser.post("/register", registration(w, email="Camille@Example.FR"))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert signed_in_as(browser) is None  # as when the address is taken: nothing tells
    assert user_count() == before + 1
    camille = db.session.scalar(select(User).where(User.email == "camille@example.fr"))
    assert camille is not None, "the email is stored lower-cased"
    assert camille.role == Role.CITIZEN
    assert camille.home_commune_id == w.south.id
    assert camille.display_name == "Camille"
    assert camille.password_hash != "un mot de passe"
    assert PasswordHasher().verify(camille.password_hash, "un mot de passe")
    browser.login("camille@example.fr", "un mot de passe")
    assert signed_in_as(browser) == "Camille"


def landing(browser, response, email: str) -> str:
    """The page a registration lands on, without what differs by nature: the address typed
    and the form tokens."""
    page = browser.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    page = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", page)
    return page.replace(email, "<email>")


def test_registering_a_taken_address_answers_as_a_free_one(make_browser, w):
    """Nobody learns from the registration form whether an address has an account."""
    free, taken = make_browser(), make_browser()
    new = free.post("/register", registration(w, email="camille@example.fr"), headers=EN)
    existing = taken.post("/register", registration(w, email="ALICE@example.fr"), headers=EN)
    assert new.status_code == existing.status_code == 302
    assert new.headers["Location"] == existing.headers["Location"]
    assert landing(free, new, "camille@example.fr") == landing(taken, existing,
                                                                "alice@example.fr")
    assert signed_in_as(free) is None and signed_in_as(taken) is None


def test_a_taken_address_gets_a_warning_and_keeps_its_account(browser, w):
    before = user_count()
    alice_hash = w.users["alice"].password_hash
    sent_before = len(outbox())
    browser.post("/register", registration(w, email="ALICE@example.fr"), headers=EN)
    assert user_count() == before
    assert db.session.scalar(select(func.count()).select_from(User).where(
        func.lower(User.email) == "alice@example.fr")) == 1
    db.session.refresh(w.users["alice"])
    assert w.users["alice"].password_hash == alice_hash
    [warning] = outbox()[sent_before:]  # no confirmation link: only this warning
    assert warning["To"] == "alice@example.fr"
    body = warning.get_content()
    assert "tried to create an account" in body
    assert "http://localhost/login" in body and "http://localhost/password/forgot" in body


@pytest.mark.parametrize("changes, field", [
    ({"password": "court123"}, "password"),                    # 8 characters
    ({"password": "neuf12345"}, "password"),                   # 9 characters
    ({"confirm": "un autre mot de passe"}, "confirm"),
    ({"home_commune_id": "999999"}, "home_commune_id"),
    ({"home_commune_id": "abc"}, "home_commune_id"),
    ({"home_commune_id": "0"}, "home_commune_id"),
    ({"email": "pas-un-email"}, "email"),
    ({"email": "camille@"}, "email"),
    ({"email": ""}, "email"),
    ({"display_name": "   "}, "display_name"),
], ids=["password-8", "password-9", "confirm-differs", "unknown-commune", "commune-not-a-number",
        "no-commune", "email-no-at", "email-no-domain", "email-empty", "blank-name"])
def test_register_refuses_bad_input(browser, w, changes, field):
    before = user_count()
    response = browser.post("/register", registration(w, **changes))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    assert user_count() == before
    assert db.session.scalar(select(User.id).where(User.email == "camille@example.fr")) is None
    assert signed_in_as(browser) is None


def test_a_ten_character_password_is_enough(browser, w):
    response = browser.post("/register", registration(w, password="dix-signes"))
    assert response.status_code == 302
    assert db.session.scalar(select(User.id).where(User.email == "camille@example.fr"))


def test_register_needs_the_csrf_token(browser, w):
    before = user_count()
    response = browser.post("/register", registration(w), csrf=False)
    assert response.status_code == 400
    assert user_count() == before


# --- Signing in and out ---------------------------------------------------------------------

def test_login_and_logout(browser, w):
    response = browser.login("alice@example.fr")
    assert urlsplit(response.headers["Location"]).path == "/"
    assert signed_in_as(browser) == "alice"
    response = browser.logout()
    assert response.status_code == 302
    assert signed_in_as(browser) is None


def test_login_ignores_the_case_of_the_email(browser, w):
    browser.login("ALICE@Example.FR")
    assert signed_in_as(browser) == "alice"


@pytest.mark.parametrize("email, password", [
    ("alice@example.fr", "wrong password!"),
    ("alice@example.fr", ""),
    ("nobody@example.fr", "correct horse battery"),
])
def test_wrong_credentials_open_no_session(browser, w, email, password):
    response = browser.post("/login", {"email": email, "password": password}, headers=EN)
    assert response.status_code == 422
    if password:
        assert "Wrong email address or password." in response.get_data(as_text=True)
    assert signed_in_as(browser) is None
    assert browser.get("/cycles/1/my-proposals").status_code == 302  # still asked to sign in


def test_logout_is_a_post(browser, w):
    browser.login("alice@example.fr")
    assert browser.get("/logout").status_code == 405
    assert signed_in_as(browser) == "alice"


def test_login_needs_the_csrf_token(browser, w):
    response = browser.post("/login", {"email": "alice@example.fr",
                                       "password": factories.PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert signed_in_as(browser) is None


def test_signed_in_people_are_sent_away_from_the_forms(browser, w):
    browser.login("alice@example.fr")
    for url in ("/login", "/register"):
        response = browser.get(url)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/"


# --- Redirect after sign-in -----------------------------------------------------------------

def test_login_follows_a_local_next(browser, w):
    response = browser.post("/login?next=/cycles/7?commune=3",
                            {"email": "alice@example.fr", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cycles/7?commune=3"


@pytest.mark.parametrize("target", [
    "https://evil.example",
    "https://evil.example/login",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
])
def test_login_never_redirects_off_site(browser, w, target):
    response = browser.client.post("/login", query_string={"next": target}, data={
        "email": "alice@example.fr", "password": factories.PASSWORD,
        "csrf_token": browser.token()})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and "javascript" not in location
    assert urlsplit(location).netloc in ("", "localhost")
    assert urlsplit(location).path == "/"
    assert signed_in_as(browser) == "alice"


def test_signing_in_starts_a_fresh_session(app, browser, session):
    factories.world()
    with browser.client.session_transaction() as planted:
        planted["planted"] = "by someone else"
        planted["lang"] = "en"
    browser.login("alice@example.fr")
    with browser.client.session_transaction() as fresh:
        assert "planted" not in fresh and fresh["lang"] == "en"
        assert fresh["_user_id"]


def test_signing_out_everywhere_ends_every_session(app, make_browser, session):
    factories.world()
    phone, laptop = make_browser(), make_browser()
    phone.login("alice@example.fr")
    laptop.login("alice@example.fr")
    assert laptop.get("/account").status_code == 200
    assert phone.post("/logout-everywhere").status_code == 302
    for device in (phone, laptop):
        response = device.get("/account")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    again = make_browser()
    again.login("alice@example.fr")  # signing in again works, with a fresh session
    assert again.get("/account").status_code == 200


def test_a_stale_or_forged_session_id_is_nobody(app):
    from budget.app import load_user

    with app.app_context():
        assert load_user("1") is None and load_user("x:0") is None and load_user("") is None
