"""Staff sign-in with a second factor (TOTP): set-up with a QR code, codes, recovery codes used
once, and wrong codes limited per account. REQUIRE_STAFF_TOTP is on in these tests."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest
from sqlalchemy import select

from budget.extensions import db
from budget.models import SecondFactor, User
from tests import factories
from tests.web.test_auth import signed_in_as

CODE_FIELD = re.compile(r'name="code"')
RECOVERY = re.compile(r"<code>([0-9A-F]{5}-[0-9A-F]{5})</code>")


@pytest.fixture
def w(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_TOTP", True)
    return factories.world()


def password_step(browser, email="staff@example.fr"):
    response = browser.post("/login", {"email": email, "password": "correct horse battery"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def code_at(secret: str, steps_ahead: int) -> str:
    """The app's code `steps_ahead` periods of 30 s from now (a later code: each signs in once,
    and one step either side of now is accepted)."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(timezone.utc)) + steps_ahead)


def set_up(browser, user) -> tuple[str, list[str]]:
    """Password, then the set-up page, then a first code: (the secret, the recovery codes)."""
    assert password_step(browser) == "/login/setup-code"
    page = browser.get("/login/setup-code").get_data(as_text=True)
    assert "<svg" in page and CODE_FIELD.search(page)
    secret = db.session.get(SecondFactor, user.id).secret
    assert secret in page
    done = browser.post("/login/setup-code", {"code": code_at(secret, 0)})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = RECOVERY.findall(done.get_data(as_text=True))
    return secret, codes


def test_set_up_shows_a_qr_code_then_recovery_codes_once_stored_hashed(browser, w):
    staff = w.users["staff"]
    assert password_step(browser) == "/login/setup-code"
    assert signed_in_as(browser) is None  # the password alone does not sign in
    browser.get("/login/setup-code")
    wrong = browser.post("/login/setup-code", {"code": "000000"})
    assert wrong.status_code == 422 and signed_in_as(browser) is None
    secret, codes = set_up(browser, staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert signed_in_as(browser) == staff.display_name
    stored = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == staff.id))
    assert stored.confirmed_at is not None and len(stored.recovery_hashes) == 10
    assert not any(code in str(stored.recovery_hashes) or code.replace("-", "") in
                   str(stored.recovery_hashes) for code in codes)


def test_signing_in_takes_the_code_of_the_app(browser, make_browser, w):
    secret, _codes = set_up(browser, w.users["staff"])
    other = make_browser()
    assert password_step(other) == "/login/code"
    assert signed_in_as(other) is None
    signed = other.post("/login/code", {"code": code_at(secret, 1)})
    assert signed.status_code == 302 and signed_in_as(other) == w.users["staff"].display_name


def test_a_wrong_code_or_a_code_already_used_does_not_sign_in(browser, make_browser, w):
    secret, _codes = set_up(browser, w.users["staff"])
    other = make_browser()
    password_step(other)
    wrong = other.post("/login/code", {"code": "123456" if code_at(secret, 1) != "123456"
                                       else "654321"}, headers={"Accept-Language": "en"})
    assert wrong.status_code == 422 and "This code is not right" in wrong.get_data(as_text=True)
    assert signed_in_as(other) is None
    replayed = other.post("/login/code", {"code": code_at(secret, 0)})  # used at the set-up
    assert replayed.status_code == 422 and signed_in_as(other) is None


def test_a_recovery_code_signs_in_once(browser, make_browser, w):
    _secret, codes = set_up(browser, w.users["staff"])
    first = make_browser()
    password_step(first)
    used = first.post("/login/code", {"code": codes[3].lower()}, follow_redirects=True,
                      headers={"Accept-Language": "en"})
    assert used.status_code == 200 and "recovery code" in used.get_data(as_text=True)
    assert signed_in_as(first) == w.users["staff"].display_name
    again = make_browser()
    password_step(again)
    assert again.post("/login/code", {"code": codes[3]}).status_code == 422
    assert signed_in_as(again) is None
    assert len(db.session.get(SecondFactor, w.users["staff"].id).recovery_hashes) == 9


@pytest.fixture
def limited(tmp_path):
    """An app of its own with the rate limiter on (in memory), as tests/web/test_rate_limits."""
    from flask_migrate import upgrade

    from budget import create_app
    from budget.extensions import limiter

    was_enabled = limiter.enabled
    app = create_app("testing", RATELIMIT_ENABLED=True, REQUIRE_STAFF_TOTP=True,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'codes.db'}")
    with app.app_context():
        upgrade()
        factories.world()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.enabled = was_enabled


def test_wrong_codes_are_limited_per_account_whatever_the_browser(limited):
    from tests.conftest import Browser

    from flask import g, request_started

    def fresh_g(sender, **extra):  # requests share this test's app context: no `g` carried over
        g.__dict__.clear()

    with limited.app_context(), request_started.connected_to(fresh_g, limited):
        staff = db.session.scalar(select(User).where(User.email == "staff@example.fr"))
        first = Browser(limited.test_client())
        secret, codes = set_up(first, staff)
        other = db.session.scalar(select(User).where(User.email == "council@example.fr"))
        statuses = []
        for _attempt in range(6):
            guesser = Browser(limited.test_client())  # a fresh browser for each guess
            password_step(guesser)
            statuses.append(guesser.post("/login/code", {"code": "000000"}).status_code)
        assert statuses == [422] * 5 + [429]
        owner = Browser(limited.test_client())
        password_step(owner)
        locked = owner.post("/login/code", {"code": code_at(secret, 1)})
        assert locked.status_code == 429 and "Trop de tentatives" in locked.get_data(as_text=True)
        assert owner.post("/login/code", {"code": codes[0]}).status_code == 429
        assert signed_in_as(owner) is None
        council = Browser(limited.test_client())  # another account is not held back
        assert password_step(council, other.email) == "/login/setup-code"
        council.get("/login/setup-code")
        assert council.post("/login/setup-code", {"code": "000000"}).status_code == 422


def test_the_code_page_without_the_password_first_sends_back_to_sign_in(browser, w):
    set_up(browser, w.users["staff"])
    browser.logout()
    assert browser.get("/login/code").headers["Location"] == "/login"
    assert browser.post("/login/code", {"code": "123456"}).headers["Location"] == "/login"


def test_citizens_sign_in_with_their_password_alone(browser, w):
    assert password_step(browser, "alice@example.fr") == "/"
    assert signed_in_as(browser) == w.users["alice"].display_name


def test_without_the_setting_staff_sign_in_with_their_password(app, browser, session,
                                                                monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_TOTP", False)
    w = factories.world()
    assert password_step(browser) == "/"
    assert signed_in_as(browser) == w.users["staff"].display_name


def test_the_setting_is_on_in_production_and_off_in_development(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("REQUIRE_STAFF_TOTP", raising=False)
    fresh = importlib.reload(config)
    try:
        assert fresh.ProductionConfig.REQUIRE_STAFF_TOTP is True
        assert fresh.DevelopmentConfig.REQUIRE_STAFF_TOTP is False
    finally:
        importlib.reload(config)


def test_an_operator_removes_a_lost_second_factor_and_the_next_sign_in_sets_up_anew(
        app, browser, make_browser, w):
    from tests.commands.helpers import invoke

    set_up(browser, w.users["staff"])
    result = invoke(app, "remove-second-factor", "Staff@example.fr")
    assert result.exit_code == 0, result.output
    assert signed_in_as(browser) is None  # the session of the lost phone ended
    assert password_step(make_browser()) == "/login/setup-code"
    assert invoke(app, "remove-second-factor", "nobody@example.fr").exit_code == 2


def test_a_resident_made_staff_is_signed_out_and_then_sets_up_the_second_factor(
        app, make_browser, w):
    from budget.models import Role
    from budget.services import accounts_admin

    alice = make_browser()
    password_step(alice, "alice@example.fr")
    assert signed_in_as(alice) == w.users["alice"].display_name
    accounts_admin.set_role(w.users["admin"], w.users["alice"], Role.STAFF, f"epci-{w.epci.id}")
    assert signed_in_as(alice) is None  # her password-only session is over
    assert password_step(make_browser(), "alice@example.fr") == "/login/setup-code"
