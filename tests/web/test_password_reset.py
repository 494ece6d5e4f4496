"""Forgotten password: a signed link, valid for a limited time and once; it ends every session."""
import re

from itsdangerous import URLSafeTimedSerializer

from budget.mail import outbox
from tests import factories

EN = {"Accept-Language": "en"}


def ask_link(browser, email="alice@example.fr") -> str | None:
    before = len(outbox())
    response = browser.post("/password/forgot", {"email": email}, headers=EN)
    assert response.status_code == 302  # the same answer whether the account exists or not
    if len(outbox()) == before:
        return None
    body = outbox()[-1].get_content()
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


def test_a_resident_resets_their_password_and_old_sessions_end(app, make_browser, session):
    factories.world()
    other_device = make_browser()
    other_device.login("alice@example.fr")
    browser = make_browser()
    link = ask_link(browser)
    assert outbox()[-1]["To"] == "alice@example.fr"
    done = browser.post(link, {"password": "a brand new secret", "confirm":
                               "a brand new secret"})
    assert done.status_code == 302
    browser.login("alice@example.fr", "a brand new secret")
    assert other_device.get("/account").status_code == 302  # signed out there
    again = browser.post(link, {"password": "yet another secret", "confirm":
                                "yet another secret"}, headers=EN)
    assert again.status_code == 422 and "already been used" in again.get_data(as_text=True)


def test_unknown_addresses_get_the_same_answer_and_no_email(browser, session):
    factories.world()
    assert ask_link(browser, "nobody@example.fr") is None


def test_forged_or_expired_links_are_refused(app, browser, session):
    w = factories.world()
    forged = URLSafeTimedSerializer("not the secret", salt="password-reset").dumps(
        {"user": w.users["alice"].id, "seal": "x"})
    for token in (forged, "garbage"):
        page = browser.post(f"/password/reset/{token}", {"password": "a brand new secret",
                                                         "confirm": "a brand new secret"},
                            headers=EN)
        assert page.status_code == 422 and "invalid or has expired" in page.get_data(
            as_text=True)
    link = ask_link(browser)
    app.config["PASSWORD_RESET_HOURS"] = -1  # every link is now too old
    try:
        page = browser.post(link, {"password": "a brand new secret",
                                   "confirm": "a brand new secret"}, headers=EN)
        assert page.status_code == 422
    finally:
        app.config["PASSWORD_RESET_HOURS"] = 1
    browser.login("alice@example.fr")  # the old password still works
