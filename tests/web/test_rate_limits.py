"""Sign-in, registration, ballots, eligibility answers and receipt checks are rate-limited,
with a French 429 page.

The other tests run with the limiter off; this one builds its own app with it on (in memory).
"""
import pytest
from flask_migrate import upgrade

from budget import create_app
from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db, limiter
from tests import factories
from tests.conftest import Browser


@pytest.fixture
def limited(tmp_path):
    # The limiter is one object for every app: put it back as the other tests want it.
    was_enabled = limiter.enabled
    app = create_app("testing", RATELIMIT_ENABLED=True,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limits.db'}")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.enabled = was_enabled


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
