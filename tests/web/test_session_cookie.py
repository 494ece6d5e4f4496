"""The session cookie is signed, not encrypted, and a copy of it can travel (a shared
computer, a stolen backup of a browser profile): after a logout it opens nothing, and it never
carries a receipt code."""
import re

from budget.domain.phases import Phase
from tests import factories


def session_cookie(browser) -> str | None:
    cookie = browser.client.get_cookie("session")
    return cookie.value if cookie else None


def decoded(app, cookie: str) -> dict:
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def test_a_cookie_copied_before_logout_no_longer_opens_the_account(app, make_browser, session):
    factories.world()
    browser = make_browser()
    browser.login("alice@example.fr")
    copied = session_cookie(browser)
    assert browser.get("/account").status_code == 200
    browser.logout()
    thief = make_browser()
    thief.client.set_cookie("session", copied)
    answer = thief.get("/account")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_cookie_after_a_vote_holds_no_receipt_code(app, browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    browser.login("alice@example.fr")
    browser.post(f"/cycles/{cycle.id}/vote/review", {"project": [park.id]})
    done = browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id]})
    data = decoded(app, session_cookie(browser))
    assert not [key for key in data if key.startswith("receipt")], data
    # The code is shown in the answer to the vote itself, and kept nowhere, not even cached.
    assert done.status_code == 200 and "no-store" in done.headers["Cache-Control"]
    code = re.search(r'class="receipt"[^>]*>([A-Z0-9-]+)<', done.get_data(as_text=True))[1]
    assert code not in str(data)
    later = browser.get(f"/cycles/{cycle.id}/vote/receipt").get_data(as_text=True)
    assert code not in later  # shown once
