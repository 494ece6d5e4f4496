"""Voting at a town-hall kiosk, in two browsers: La Flotte's clerk adds a polling station and
makes one browser its kiosk (and is signed out of it); at the desk, in the other browser, the
clerk checks a voter's access code and gets a kiosk code; the voter types it on the kiosk,
votes with the online ballot's page and review, sees "A voté", and the kiosk locks again.
Then a voter who walks away: two minutes later (the page's clock run forward) the kiosk has
locked itself. axe checks every screen."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.oidc_provider import running_provider

CYCLE = "Budget participatif 2036 (bornes de vote)"
CLERK = ("mairie@demo.budget.fr", "mairie-demo-2026")
PROJECT = "Bancs ombragés sur le port"
STATION = "Salle des fêtes de La Flotte"


def open_cycle(live_server, title: str, rules) -> tuple[int, object, object]:
    """A cycle of this file alone with these eligibility rules, whose vote is open, with a
    project on La Flotte's ballot: (its id, La Flotte's clerk, La Flotte)."""
    from budget.domain.proposals import Status
    from budget.extensions import db
    from budget.models import Intercommunality, Proposal, User
    from budget.models.time import utcnow
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.policy import SYSTEM_OPERATOR

    epci = db.session.scalar(db.select(Intercommunality))
    clerk = db.session.scalar(db.select(User).where(User.email == CLERK[0]))
    now = utcnow()
    cycle = create_cycle(SYSTEM_OPERATOR, epci, CycleDraft(
        title=title, description="", proposals_start=now + timedelta(days=1),
        review_start=now + timedelta(days=2), vote_start=now + timedelta(days=3),
        vote_end=now + timedelta(days=10), vote_format="approval",
        vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
        commune_amounts={commune.id: 10_000 for commune in epci.communes}))
    cycle.eligibility = rules.as_params()
    envelope = next(e for e in cycle.envelopes if e.commune_id == clerk.works_for_commune_id)
    db.session.add(Proposal(cycle_id=cycle.id, envelope_id=envelope.id, title=PROJECT,
                            description="Des bancs à l'ombre.", estimated_cost=4_000,
                            final_cost=4_000, status=Status.ON_BALLOT, author_id=clerk.id))
    db.session.commit()
    return cycle.id, clerk, envelope.commune


@pytest.fixture(scope="module")
def scene(live_server) -> dict:
    """A cycle identifying voters by access code, and two access codes of La Flotte."""
    from budget.domain.eligibility import EligibilityRules, Proof
    from budget.extensions import db
    from budget.models import BudgetCycle
    from budget.services import access_codes

    with live_server.app.app_context():
        cycle_id, clerk, commune = open_cycle(live_server, CYCLE,
                                              EligibilityRules(proof=Proof.ACCESS_CODE))
        codes = access_codes.generate_codes(clerk, db.session.get(BudgetCycle, cycle_id),
                                            commune, 2)
    live_server.open_vote(CYCLE)
    return {"cycle_id": cycle_id, "codes": codes}


def kiosk_code(new_page, station_url: str, access_code: str, check_page) -> str:
    """At the desk: the clerk checks the voter's letter; the page shows the kiosk code."""
    desk = new_page(DESKTOP)
    sign_in(desk, *CLERK)
    desk.goto(station_url)
    desk.get_by_label("Code d’accès").fill(access_code)
    desk.get_by_role("button", name="Enregistrer et remettre un code de borne").click()
    code = desk.locator("[data-unlock-code]")
    expect(code).to_be_visible()
    check_page(desk, "kiosk-desk-code")
    return code.inner_text().strip()


def test_a_voter_votes_at_the_kiosk_and_it_locks_again(live_server, new_page, check_page,
                                                       scene):
    kiosk = new_page(PHONE)
    sign_in(kiosk, *CLERK)
    kiosk.goto(f"/staff/cycles/{scene['cycle_id']}/stations")
    kiosk.get_by_label("Nom du bureau de vote").fill(STATION)
    kiosk.get_by_role("button", name="Ajouter le bureau de vote").click()
    expect(kiosk.get_by_role("heading", name=STATION)).to_be_visible()
    station_url = kiosk.url.removeprefix(live_server.url)
    check_page(kiosk, "kiosk-station")
    kiosk.get_by_role("button", name="Faire de cet appareil une borne du bureau").click()
    # The kiosk: the station's name, and nothing of the platform.
    expect(kiosk.get_by_role("heading", name="Tapez le code remis par l’accueil")).to_be_visible()
    expect(kiosk.get_by_text(STATION)).to_be_visible()
    expect(kiosk.get_by_role("link")).to_have_count(0)
    expect(kiosk.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    check_page(kiosk, "kiosk-locked")

    code = kiosk_code(new_page, station_url, scene["codes"][0], check_page)
    kiosk.get_by_label("Code remis par l’accueil").fill(code)
    kiosk.get_by_role("button", name="Ouvrir mon bulletin").click()
    kiosk.get_by_label(PROJECT).check()
    check_page(kiosk, "kiosk-ballot")
    kiosk.get_by_role("button", name="Relire mon bulletin").click()
    expect(kiosk.get_by_text(PROJECT)).to_be_visible()
    check_page(kiosk, "kiosk-review")
    kiosk.get_by_role("button", name="Confirmer mon vote").click()
    expect(kiosk.get_by_role("heading", name="A voté")).to_be_visible()
    check_page(kiosk, "kiosk-voted")
    # Back to the lock screen by itself, for the next voter; the ballot is no longer open.
    expect(kiosk.get_by_label("Code remis par l’accueil")).to_be_visible(timeout=15_000)
    kiosk.goto("/kiosk/ballot")
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk")

    # The next voter opens their ballot and walks away: two minutes later it is locked.
    code = kiosk_code(new_page, station_url, scene["codes"][1], check_page)
    kiosk.clock.install()
    kiosk.get_by_label("Code remis par l’accueil").fill(code)
    kiosk.get_by_role("button", name="Ouvrir mon bulletin").click()
    kiosk.get_by_label(PROJECT).check()
    kiosk.clock.run_for("02:01")
    expect(kiosk.get_by_label("Code remis par l’accueil")).to_be_visible()
    expect(kiosk).to_have_url(f"{live_server.url}/kiosk")



FC_CYCLE = "Budget participatif 2037 (bornes, FranceConnect)"
FC_STATION = "Accueil de la mairie de La Flotte"
VOTER = {"email": "jean.roux@example.fr", "given_name": "Jean", "family_name": "Roux",
         "birthdate": "1968-09-30", "gender": "male", "preferred_username": "Roux"}


def test_the_desk_checks_a_voter_with_franceconnect_on_the_staff_device(live_server, new_page,
                                                                        check_page,
                                                                        monkeypatch):
    """The clerk stays signed in; the voter signs in at the provider on the clerk's browser,
    is signed out of it at once, swears residence, and gets a kiosk code that opens a
    ballot."""
    from budget.domain.eligibility import EligibilityRules, Proof

    with live_server.app.app_context():
        cycle_id, _, _ = open_cycle(live_server, FC_CYCLE, EligibilityRules(
            sworn_residence=True, proof=Proof.IDENTITY_PROVIDER))
    live_server.open_vote(FC_CYCLE)
    with running_provider() as provider:
        for key, value in {"OIDC_ISSUER": provider.url, "OIDC_CLIENT_ID": "budget-browser",
                           "OIDC_CLIENT_SECRET": "secret", "OIDC_PROFILE": "franceconnect",
                           "OIDC_SCOPES": "openid email profile"}.items():
            monkeypatch.setitem(live_server.app.config, key, value)
        provider.set_user("fc-jean", VOTER)
        desk = new_page(DESKTOP)
        desk.context.route(re.compile("^" + re.escape(provider.url) + "/"),
                           lambda route: route.continue_())
        sign_in(desk, *CLERK)
        desk.goto(f"/staff/cycles/{cycle_id}/stations")
        desk.get_by_label("Nom du bureau de vote").fill(FC_STATION)
        desk.get_by_role("button", name="Ajouter le bureau de vote").click()
        expect(desk.get_by_role("heading", name=FC_STATION)).to_be_visible()
        station_url = desk.url.removeprefix(live_server.url)
        check_page(desk, "kiosk-desk-franceconnect")
        desk.get_by_role("link", name="Vérifier l’électeur avec FranceConnect").click()
        desk.wait_for_url(provider.url + "/oauth2/authorize?**")
        desk.locator("input[name=sub]").fill("fc-jean")
        desk.get_by_role("button", name="Authorize").click()
        # Straight to the provider's end of session: the voter is signed out of it.
        desk.wait_for_url(provider.url + "/oauth2/end_session?**")
        assert "id_token_hint=" in desk.url
        desk.get_by_role("button", name="End session").click()
        desk.wait_for_url(live_server.url + "/staff/desk/provider/checked**")
        expect(desk.get_by_text("30 septembre 1968")).to_be_visible()
        check_page(desk, "kiosk-desk-franceconnect-checked")
        desk.get_by_label(re.compile("L’électeur certifie sur l’honneur")).check()
        desk.get_by_role("button", name="Enregistrer et remettre un code de borne").click()
        code = desk.locator("[data-unlock-code]")
        expect(code).to_be_visible()
        code = code.inner_text().strip()
        # The clerk is still signed in as the clerk, on the station's page.
        desk.goto(station_url)
        expect(desk.get_by_role("button", name="Se déconnecter")).to_be_visible()
        expect(desk.get_by_role("heading", name=FC_STATION)).to_be_visible()
        kiosk = new_page(PHONE)
        sign_in(kiosk, *CLERK)
        kiosk.goto(station_url)
        kiosk.get_by_role("button", name="Faire de cet appareil une borne du bureau").click()
        kiosk.get_by_label("Code remis par l’accueil").fill(code)
        kiosk.get_by_role("button", name="Ouvrir mon bulletin").click()
        kiosk.get_by_label(PROJECT).check()
        kiosk.get_by_role("button", name="Relire mon bulletin").click()
        kiosk.get_by_role("button", name="Confirmer mon vote").click()
        expect(kiosk.get_by_role("heading", name="A voté")).to_be_visible()
