"""Sign-in, registration, ballots, eligibility answers and receipt checks are rate-limited,
with a French 429 page.

The other tests run with the limiter off; this one builds its own app with it on (in memory).
"""
import pytest

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from tests import factories
from tests.conftest import Browser, rate_limited_app


@pytest.fixture
def limited(tmp_path):
    with rate_limited_app(tmp_path) as app:
        yield app


def attempt_login(browser, email):
    return browser.post("/login", {"email": email, "password": "wrong password!"})


def test_password_guessing_on_one_account_is_stopped(limited):
    browser = Browser(limited.test_client())
    statuses = [attempt_login(browser, "victim@example.fr").status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
    page = attempt_login(browser, "victim@example.fr")
    assert page.status_code == 429 and "Trop de tentatives" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "60"  # the login limit is per minute
    assert attempt_login(browser, "someone.else@example.fr").status_code == 422


def test_one_address_is_limited_across_accounts(limited):
    browser = Browser(limited.test_client())
    statuses = [attempt_login(browser, f"user{n}@example.fr").status_code for n in range(31)]
    assert statuses[:30] == [422] * 30 and statuses[30] == 429


def test_reading_pages_is_not_limited(limited):
    client = limited.test_client()
    assert {client.get("/login").status_code for _ in range(50)} == {200}


def test_guessing_census_identities_is_stopped(limited):
    with limited.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        cycle.eligibility = EligibilityRules(proof=Proof.CENSUS).as_params()
        db.session.commit()
        url = f"/cycles/{cycle.id}/vote/eligibility"
    browser = Browser(limited.test_client())
    browser.login("alice@example.fr")
    statuses = [browser.post(url, {"identifier": f"X{n}", "birth_date": "1980-01-01"})
                .status_code for n in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def census_cycle_url(app) -> str:
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        cycle.eligibility = EligibilityRules(proof=Proof.CENSUS).as_params()
        db.session.commit()
        return f"/cycles/{cycle.id}/vote/eligibility"


def test_signing_out_everywhere_does_not_reset_the_census_guess_limit(limited):
    url = census_cycle_url(limited)
    browser = Browser(limited.test_client())
    browser.login("alice@example.fr")
    statuses = [browser.post(url, {"identifier": f"X{n}", "birth_date": "1980-01-01"})
                .status_code for n in range(11)]
    assert statuses[10] == 429
    assert browser.post("/logout-everywhere").status_code == 302
    browser.login("alice@example.fr")  # a new session version: a new get_id()
    again = browser.post(url, {"identifier": "X99", "birth_date": "1980-01-01"})
    assert again.status_code == 429


def test_signing_out_everywhere_does_not_reset_the_resend_verification_limit(limited):
    with limited.app_context():
        w = factories.world()
        factories.user("new@example.fr", w.north, verified=False)
        db.session.commit()
    browser = Browser(limited.test_client())
    browser.login("new@example.fr")
    statuses = [browser.post("/account/verify").status_code for _ in range(4)]
    assert statuses[:3] == [302] * 3 and statuses[3] == 429
    assert browser.post("/logout-everywhere").status_code == 302
    browser.login("new@example.fr")
    assert browser.post("/account/verify").status_code == 429


def login_from(client, address, email, password="wrong password!"):
    browser = Browser(client)
    token = browser.token()
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_guessing_from_rotating_addresses_does_not_lock_the_owner_out(limited):
    with limited.app_context():
        factories.world()
    attacker = limited.test_client()
    statuses = [login_from(attacker, f"203.0.113.{n}", "alice@example.fr").status_code
                for n in range(12)]
    assert statuses == [422] * 12
    owner = limited.test_client()
    signed_in = login_from(owner, "198.51.100.7", "alice@example.fr", factories.PASSWORD)
    assert signed_in.status_code == 302


def test_guessing_one_account_from_many_addresses_is_still_limited(limited):
    with limited.app_context():
        factories.world()
    attacker = limited.test_client()
    one_address = [login_from(attacker, "203.0.113.1", "alice@example.fr").status_code
                   for _ in range(11)]
    assert one_address[:10] == [422] * 10 and one_address[10] == 429
    rotating = [login_from(attacker, f"203.0.113.{n}", "alice@example.fr").status_code
                for n in range(2, 60)]
    assert 429 in rotating and rotating[-1] == 429


def test_the_registration_form_cannot_flood_a_mailbox(limited):
    with limited.app_context():
        w = factories.world()
        form = {"display_name": "X", "home_commune_id": w.north.id,
                "password": "un mot de passe", "confirm": "un mot de passe"}
    browser = Browser(limited.test_client())
    # Three messages an hour to one address, whether it had an account or not.
    for email in ("alice@example.fr", "nobody@example.fr"):
        statuses = [browser.post("/register", dict(form, email=email)).status_code
                    for _ in range(4)]
        assert statuses == [302, 302, 302, 429]
    assert browser.post("/register", dict(form, email="third@example.fr")).status_code == 302


def test_a_browser_the_owner_signed_in_with_before_is_not_locked_out_by_a_botnet(limited):
    """Enough wrong passwords from enough addresses stop everyone guessing this account, but
    not the owner on a browser where they signed in before, from wherever it is now."""
    with limited.app_context():
        factories.world()
    owner = limited.test_client()
    assert login_from(owner, "198.51.100.7", "alice@example.fr",
                      factories.PASSWORD).status_code == 302
    owner.post("/logout", data={"csrf_token": Browser(owner).token()})
    attacker = limited.test_client()
    statuses = [login_from(attacker, f"203.0.113.{n}", "alice@example.fr").status_code
                for n in range(1, 40)]
    assert statuses[-1] == 429
    new_browser = limited.test_client()
    assert login_from(new_browser, "192.0.2.1", "alice@example.fr",
                      factories.PASSWORD).status_code == 429
    assert login_from(owner, "192.0.2.2", "alice@example.fr",
                      factories.PASSWORD).status_code == 302


def test_signing_out_everywhere_does_not_reset_the_ballot_limit(limited):
    with limited.app_context():
        w = factories.world()
        url = f"/cycles/{factories.cycle(w, Phase.VOTE).id}/vote/confirm"
    browser = Browser(limited.test_client())
    browser.login("alice@example.fr")
    statuses = [browser.post(url, {"project": ["999999"]}).status_code for _ in range(11)]
    assert statuses[10] == 429 and 429 not in statuses[:10]
    assert browser.post("/logout-everywhere").status_code == 302
    browser.login("alice@example.fr")
    assert browser.post(url, {"project": ["999999"]}).status_code == 429


def test_comments_and_reports_are_limited_per_account(limited):
    with limited.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.PROPOSALS)
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"]).id
    alice = Browser(limited.test_client())
    alice.login("alice@example.fr")
    statuses = [alice.post(f"/proposals/{park}/comments",
                           {"body": f"Message {n}", "accept_charter": "y"}).status_code
                for n in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429
    reports = [alice.post(f"/proposals/{park}/report", {"reason": f"Motif {n}"}).status_code
               for n in range(11)]
    assert reports[0] == 302 and reports[10] == 429
    bob = Browser(limited.test_client())  # another account has its own allowance
    bob.login("bob@example.fr")
    assert bob.post(f"/proposals/{park}/comments",
                    {"body": "Merci", "accept_charter": "y"}).status_code == 302
