"""Absolute links come from PUBLIC_URL, never from the Host header a visitor sends: a link
mailed to a victim must lead to the platform, not to a site of the attacker's choosing."""
import re

from budget.mail import outbox
from tests import factories

EVIL = {"Host": "evil.example", "Accept-Language": "en"}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_a_reset_link_asked_with_a_forged_host_leads_to_the_public_url(app, browser, session):
    factories.world()
    page = browser.get("/password/forgot", headers=EVIL).get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    before = len(outbox())
    browser.client.post("/password/forgot", headers=EVIL,
                        data={"csrf_token": token, "email": "alice@example.fr"})
    assert len(outbox()) == before + 1
    body = outbox()[-1].get_content()
    assert "evil.example" not in body
    assert re.search(r"http://localhost/password/reset/\S+", body)


def test_a_verification_link_asked_with_a_forged_host_leads_to_the_public_url(browser, session):
    factories.world()
    page = browser.get("/register", headers=EVIL).get_data(as_text=True)
    commune = re.search(r'<option value="([1-9]\d*)"', page).group(1)
    before = len(outbox())
    browser.client.post("/register", headers=EVIL, data={
        "csrf_token": TOKEN.search(page).group(1), "email": "newcomer@example.fr",
        "password": "correct horse battery", "confirm": "correct horse battery",
        "display_name": "Newcomer", "home_commune_id": commune})
    assert len(outbox()) == before + 1
    body = outbox()[-1].get_content()
    assert "evil.example" not in body and "http://localhost/account/verify/" in body
