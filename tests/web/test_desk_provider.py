"""The desk checks a voter by the identity provider on the staff device, against a real
provider on a local port (tests/oidc_provider.py): the staff member stays signed in as staff,
the voter gets no account and is signed out of the provider, the kiosk code is issued once;
and every refusal has a French message and writes nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest
import requests
from sqlalchemy import func, select

from budget.blueprints.auth import provider_client
from budget.domain.eligibility import Proof
from budget.extensions import db
from budget.models import EligibilityDeclaration, KioskUnlock, User
from budget.services import identity_hash, kiosks
from tests import factories
from tests.conftest import table_snapshot
from tests.oidc_provider import callback_path, query_of, running_provider
from tests.services.eligibility_helpers import cycle_with

FR = {"Accept-Language": "fr"}
MARIE = {"email": "marie.dupont@example.fr", "given_name": "Marie", "family_name": "Dupont",
         "birthdate": "1980-04-12"}
CHECKED = "/staff/desk/provider/checked"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def oidc_app(app, monkeypatch, provider):
    """FranceConnect's profile, its claims in a signed userinfo answer as FranceConnect gives
    them (the scopes the mock knows: it has no scope per claim)."""
    for key, value in {"OIDC_ISSUER": provider.url, "OIDC_CLIENT_ID": "budget-tests",
                       "OIDC_CLIENT_SECRET": "test-secret", "OIDC_PROFILE": "franceconnect",
                       "OIDC_SCOPES": "openid email profile"}.items():
        monkeypatch.setitem(app.config, key, value)
    provider.spoil, provider.signed_userinfo = None, "yes"
    yield app
    provider.spoil, provider.signed_userinfo = None, None


@pytest.fixture
def station(session, oidc_app):
    w = factories.world()
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER, minimum_age=16,
                       reference_date=date(2026, 12, 1), sworn_residence=True)
    return kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie annexe")


@pytest.fixture
def clerk(make_browser, station):
    desk = make_browser()
    desk.login("northclerk@example.fr")
    return desk


def start(clerk, station) -> str:
    response = clerk.get(f"/staff/cycles/{station.cycle_id}/stations/{station.id}/desk/provider")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def signed_in_at_provider(clerk, station, provider, sub="fc-marie", claims=MARIE):
    """The voter signs in at the provider on the staff device: the platform's callback."""
    provider.set_user(sub, claims)
    return clerk.get(callback_path(provider.authorize(start(clerk, station), sub)))


def staff_id(clerk):
    with clerk.client.session_transaction() as session:
        return session.get("_user_id")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_station_offers_a_check_by_franceconnect(clerk, station):
    page = clerk.get(f"/staff/cycles/{station.cycle_id}/stations/{station.id}",
                     headers=FR).get_data(as_text=True)
    assert "Vérifier l’électeur avec" in page and "desk/provider" in page
    params = query_of(start(clerk, station))
    assert params["code_challenge_method"] == "S256" and params["state"] and params["nonce"]
    assert params["acr_values"] == "eidas1"
    assert params["redirect_uri"] == "http://localhost/staff/desk/provider/callback"


def test_a_voter_checked_by_the_provider_gets_a_kiosk_code_and_no_account(clerk, station,
                                                                          provider):
    staff_before, accounts = staff_id(clerk), count(User)
    back = signed_in_at_provider(clerk, station, provider)
    # The voter's provider session ends at once, the ID token as hint, then back here.
    logout = back.headers["Location"]
    assert logout.startswith(provider.url + "/oauth2/end_session?")
    params = query_of(logout)
    assert params["post_logout_redirect_uri"] == "http://localhost" + CHECKED
    assert params["id_token_hint"].count(".") == 2
    ended = requests.post(provider.url + "/oauth2/end_session/confirm",
                          data={"redirect_uri": params["post_logout_redirect_uri"]},
                          allow_redirects=False, timeout=5)
    assert ended.headers["Location"] == "http://localhost" + CHECKED
    assert count(EligibilityDeclaration) == 0  # nothing before staff confirm
    page = clerk.get(CHECKED, headers=FR).get_data(as_text=True)
    assert "Marie" in page and "12 avril 1980" in page and "sworn_residence" in page
    unsworn = clerk.post(CHECKED, {}, headers=FR)
    assert unsworn.status_code == 422 and count(KioskUnlock) == 0
    issued = clerk.post(CHECKED, {"sworn_residence": "y"})
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    assert re.search(r"data-unlock-code>[A-Z0-9]{3}-[A-Z0-9]{3}<", issued.get_data(as_text=True))
    assert count(KioskUnlock) == 1 and count(User) == accounts
    held = db.session.scalar(select(EligibilityDeclaration))
    assert held.user_id is None and held.in_person_at is not None
    assert held.identity_hash == identity_hash.verified_identity_hash(
        station.cycle_id, identity_hash.subject_hash(provider.url, "fc-marie"))
    assert "fc-marie" not in str(table_snapshot())
    assert staff_id(clerk) == staff_before  # still the clerk, signed in as staff
    # The check served once: the page is gone from the session.
    assert clerk.get(CHECKED).headers["Location"].endswith(f"/stations/{station.id}")


def test_the_same_identity_is_refused_at_the_desk_again(clerk, station, provider):
    signed_in_at_provider(clerk, station, provider)
    clerk.post(CHECKED, {"sworn_residence": "y"})
    signed_in_at_provider(clerk, station, provider)
    before = table_snapshot()
    refused = clerk.post(CHECKED, {"sworn_residence": "y"}, headers=FR)
    assert refused.status_code == 422
    assert "Un vote en personne" in refused.get_data(as_text=True)
    assert table_snapshot() == before


def test_a_voter_too_young_is_refused_in_french(clerk, station, provider):
    signed_in_at_provider(clerk, station, provider, "fc-leo", {**MARIE, "birthdate":
                                                               "2015-02-01"})
    before = table_snapshot()
    refused = clerk.post(CHECKED, {"sworn_residence": "y"}, headers=FR)
    assert refused.status_code == 422 and "au moins 16 ans" in refused.get_data(as_text=True)
    assert table_snapshot() == before


def test_a_wrong_state_is_refused_with_nothing_written(clerk, station, provider):
    provider.set_user("fc-marie", MARIE)
    params = query_of(provider.authorize(start(clerk, station), "fc-marie"))
    before = table_snapshot()
    response = clerk.get(f"/staff/desk/provider/callback?code={params['code']}&state=forged")
    assert response.headers["Location"].endswith(f"/stations/{station.id}")
    page = clerk.get(response.headers["Location"], headers=FR).get_data(as_text=True)
    assert "Cette connexion n’a pas pu être vérifiée" in page
    assert clerk.get(CHECKED).status_code == 302  # no identity to confirm
    assert table_snapshot() == before


def test_a_spoiled_id_token_is_refused_with_nothing_written(clerk, station, provider):
    provider.spoil = "bad_signature"
    before = table_snapshot()
    response = signed_in_at_provider(clerk, station, provider)
    page = clerk.get(response.headers["Location"], headers=FR).get_data(as_text=True)
    assert "n’a pas pu être vérifiée" in page
    assert clerk.get(CHECKED).status_code == 302 and table_snapshot() == before


def test_a_provider_down_is_told_in_french(clerk, station, monkeypatch, oidc_app):
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", "http://127.0.0.1:9")
    response = clerk.get(f"/staff/cycles/{station.cycle_id}/stations/{station.id}/desk/provider")
    page = clerk.get(response.headers["Location"], headers=FR).get_data(as_text=True)
    assert "Le fournisseur d’identité ne répond pas" in page


def test_staff_of_another_commune_cannot_start_or_finish_a_check(make_browser, station,
                                                                 provider):
    other = make_browser()
    other.login("southclerk@example.fr")
    path = f"/staff/cycles/{station.cycle_id}/stations/{station.id}/desk/provider"
    assert other.get(path).status_code == 403
    resident = make_browser()
    resident.login("alice@example.fr")
    assert resident.get("/staff/desk/provider/callback").status_code == 403
    assert resident.get(CHECKED).status_code == 403


def test_a_provider_without_end_of_session_is_told_so_staff_close_the_browser(clerk, station,
                                                                              provider,
                                                                              oidc_app):
    with oidc_app.test_request_context():
        metadata = provider_client.client().load_server_metadata()
        ending = metadata.pop("end_session_endpoint")
    try:
        back = signed_in_at_provider(clerk, station, provider)
        assert back.headers["Location"] == CHECKED
        page = clerk.get(CHECKED, headers=FR).get_data(as_text=True)
        assert "fermez les fenêtres de ce navigateur" in page and "Marie" in page
    finally:
        metadata["end_session_endpoint"] = ending
