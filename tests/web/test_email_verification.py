"""A new account confirms its email address with a signed, expiring, single-use link; until
then the person can sign in but neither vote nor submit a proposal, and can ask for the link
again (rate-limited)."""
import re

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.mail import outbox
from budget.models import Proposal
from tests import factories
from tests.web.test_rate_limits import limited  # noqa: F401  (a fixture)
from tests.conftest import Browser

EN = {"Accept-Language": "en"}
PASSWORD = "a long enough secret"


def register(browser, w, email="new@example.fr"):
    response = browser.post("/register", {
        "email": email, "display_name": "Nouvelle", "home_commune_id": w.north.id,
        "password": PASSWORD, "confirm": PASSWORD}, headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)
    browser.login(email, PASSWORD)


def mailed_link() -> str:
    message = outbox()[-1]
    assert message["Subject"] in ("Confirm your email address",
                                  "Confirmez votre adresse électronique")
    return re.search(r"http://localhost(/account/verify/\S+)", message.get_content()).group(1)


def test_a_new_account_confirms_its_address_before_voting(browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    register(browser, w)
    link = mailed_link()
    assert outbox()[-1]["To"] == "new@example.fr"

    refused = browser.get(f"/cycles/{cycle.id}/vote", headers=EN)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "Confirm your email address first" in page
    assert "Send the link again" in page  # the banner with its button, on every page
    posted = browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id]})
    assert posted.status_code == 403

    done = browser.get(link, headers=EN)
    assert done.status_code == 302
    account = browser.get("/account", headers=EN).get_data(as_text=True)
    assert "your email address is confirmed" in account and "Send the link again" not in account
    assert browser.get(f"/cycles/{cycle.id}/vote").status_code == 200
    voted = browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id]})
    assert voted.status_code == 200 and 'class="receipt"' in voted.get_data(as_text=True)

    again = browser.get(link, headers=EN, follow_redirects=True).get_data(as_text=True)
    assert "already been used" in again


def test_an_unconfirmed_account_cannot_submit_a_proposal(browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.PROPOSALS)
    factories.user("late@example.fr", w.north, verified=False)
    session.commit()
    browser.login("late@example.fr")
    envelope = factories.envelope(cycle, w.north)
    page = browser.post(f"/cycles/{cycle.id}/proposals/new", {
        "title": "Un banc", "description": "Un banc sur la place.", "estimated_cost": "500",
        "envelope_id": envelope.id}, headers=EN)
    assert page.status_code == 422
    assert "Confirm your email address first" in page.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_resending_mails_a_new_link_and_confirmed_accounts_get_none(browser, session):
    w = factories.world()
    factories.user("late@example.fr", w.north, verified=False)
    session.commit()
    browser.login("late@example.fr")
    before = len(outbox())
    sent = browser.post("/account/verify", headers=EN, follow_redirects=True)
    assert "We have sent a new link" in sent.get_data(as_text=True)
    assert len(outbox()) == before + 1
    browser.get(mailed_link())
    browser.post("/account/verify")
    assert len(outbox()) == before + 1


def test_forged_expired_or_foreign_links_are_refused(app, browser, session):
    w = factories.world()
    alice = w.users["alice"]
    alice.email_verified_at = None
    session.commit()
    forged = URLSafeTimedSerializer("not the secret", salt="email-verification").dumps(
        {"user": alice.id, "email": alice.email})
    reset_kind = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset").dumps(
        {"user": alice.id, "email": alice.email})
    other_address = URLSafeTimedSerializer(app.config["SECRET_KEY"],
                                           salt="email-verification").dumps(
        {"user": alice.id, "email": "old@example.fr"})
    for token in (forged, reset_kind, other_address, "garbage"):
        page = browser.get(f"/account/verify/{token}", headers=EN, follow_redirects=True)
        assert "invalid or has expired" in page.get_data(as_text=True), token
    browser.login("alice@example.fr")
    browser.post("/account/verify")
    link = mailed_link()
    app.config["EMAIL_VERIFICATION_HOURS"] = -1
    try:
        page = browser.get(link, headers=EN, follow_redirects=True).get_data(as_text=True)
        assert "invalid or has expired" in page
    finally:
        app.config["EMAIL_VERIFICATION_HOURS"] = 48
    session.refresh(alice)
    assert not alice.email_verified


def test_asking_for_the_link_again_is_rate_limited(limited):  # noqa: F811
    from budget.extensions import db

    with limited.app_context():
        w = factories.world()
        factories.user("late@example.fr", w.north, verified=False)
        db.session.commit()
    browser = Browser(limited.test_client())
    browser.login("late@example.fr")
    statuses = [browser.post("/account/verify").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
