"""Photos in the browser: a resident proposes with a photo on the first form (a file that is not
a photo is refused without losing what she typed), and staff review the proposal with its photo,
its place on the map and a link to its public page in view."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in, wait_until_loaded

CYCLE = "Budget participatif 2029"
RESIDENT = ("habitant@demo.budget.fr", "habitant-demo-2026")
STAFF = ("agent@demo.budget.fr", "agent-demo-2026")


def a_photo(colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def cycle_id(live_server) -> int:
    """A cycle of the demo territory open for proposals, of this file alone (the other files
    move theirs on)."""
    from budget.extensions import db
    from budget.models import Intercommunality
    from budget.models.time import utcnow
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        now = utcnow()
        draft = CycleDraft(
            title=CYCLE, description="", proposals_start=now - timedelta(days=1),
            review_start=now + timedelta(days=20), vote_start=now + timedelta(days=40),
            vote_end=now + timedelta(days=60), vote_format="approval",
            vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes})
        return create_cycle(SYSTEM_OPERATOR, epci, draft).id


@pytest.fixture(scope="module")
def proposal_with_photo(live_server, cycle_id) -> tuple[int, str]:
    """(id, title) of a proposal of the resident, placed in La Flotte, with a photo."""
    from budget.extensions import db
    from budget.models import BudgetCycle, User
    from budget.services import images, proposals
    from budget.services.proposals import ProposalDraft

    title = "Table de pique-nique au bord du chemin"
    with live_server.app.app_context():
        author = db.session.scalar(db.select(User).where(User.email == RESIDENT[0]))
        cycle = db.session.get(BudgetCycle, cycle_id)
        envelope = next(e for e in cycle.envelopes if e.commune_id == author.home_commune_id)
        photo = images.prepare(a_photo((60, 120, 180)), "La table en bois, sous les pins")
        proposal = proposals.submit(author, cycle, ProposalDraft(
            title, "Une table pour pique-niquer à l'ombre.", 1_200, envelope.id,
            46.1858, -1.3271), photo)
        return proposal.id, title


def test_propose_with_a_photo_on_the_first_form(cycle_id, new_page, check_page):
    title = "Arceaux à vélos devant la médiathèque"
    page = new_page(PHONE)
    sign_in(page, *RESIDENT)
    page.goto(f"/cycles/{cycle_id}/proposals/new")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill("Six arceaux pour attacher son vélo à l'abri.")
    page.get_by_label("Coût estimé, en euros").fill("1800")
    page.get_by_label(re.compile("La Flotte")).check()
    photo_field = page.get_by_label(re.compile("^Photo \\(facultative"))
    alt_field = page.get_by_label(re.compile("Ce que montre la photo"))
    expect(page.locator("#photo-hint")).to_contain_text("Licence Ouverte 2.0")

    # A file that is not a photo: refused in French, and nothing she typed is lost.
    photo_field.set_input_files(files=[{"name": "devis.pdf", "mimeType": "application/pdf",
                                        "buffer": b"%PDF-1.7 not a photo"}])
    alt_field.fill("Les arceaux devant la médiathèque")
    page.get_by_role("button", name="Déposer ma proposition").click()
    expect(page.get_by_role("alert")).to_contain_text("n’est pas une photo")
    expect(page.get_by_label("Titre")).to_have_value(title)
    expect(page.get_by_label("Coût estimé, en euros")).to_have_value("1800")
    expect(alt_field).to_have_value("Les arceaux devant la médiathèque")
    check_page(page, "propose-photo-refused")

    # The real photo: the proposal is submitted with it, and its page shows it.
    photo_field.set_input_files(files=[{"name": "arceaux.jpg", "mimeType": "image/jpeg",
                                        "buffer": a_photo()}])
    check_page(page, "propose-with-photo")
    page.get_by_role("button", name="Déposer ma proposition").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    image = page.get_by_role("img", name="Les arceaux devant la médiathèque")
    expect(image).to_be_visible()
    wait_until_loaded(image)
    check_page(page, "proposal-with-its-first-photo")


def test_review_with_the_photo_visible(proposal_with_photo, new_page, check_page):
    proposal_id, title = proposal_with_photo
    page = new_page(DESKTOP)
    sign_in(page, *STAFF)
    page.goto(f"/staff/proposals/{proposal_id}/review")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    image = page.get_by_role("img", name="La table en bois, sous les pins")
    expect(image).to_be_visible()
    wait_until_loaded(image)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)  # its place, on a map
    check_page(page, "review-with-photo")
    # The full-size photo and the public page are one click away.
    page.get_by_role("link", name="La table en bois, sous les pins").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal_id}/photos/\w+$"))
    page.go_back()
    page.get_by_role("link", name="Voir la page publique de la proposition").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal_id}$"))
    expect(page.get_by_role("img", name="La table en bois, sous les pins")).to_be_visible()


def test_staff_watch_the_turnout_refresh_on_a_phone(live_server, new_page, check_page,
                                                    monkeypatch):
    """Not a photo, but the same staff pages: the dashboard's turnout panel fits a phone and
    refreshes itself when paper ballots are counted."""
    from budget.extensions import db
    from budget.models import Commune, PaperBatch
    from budget.services.demo import CYCLE_TITLE

    monkeypatch.setattr("budget.blueprints.staff.turnout.REFRESH_SECONDS", 1)
    cycle_id = live_server.cycle_id(CYCLE_TITLE)
    page = new_page(PHONE)
    sign_in(page, *STAFF)
    page.goto(f"/staff/cycles/{cycle_id}")
    loix_paper = page.locator("[data-turnout] tr", has_text="Loix").locator("td").nth(1)
    expect(loix_paper).to_have_text("0")
    check_page(page, "dashboard-turnout-phone")
    # The panel fits the phone (the page around it is another matter: the review queue).
    box = page.locator("[data-turnout]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    with live_server.app.app_context():
        loix = db.session.scalar(db.select(Commune).where(Commune.name == "Loix"))
        db.session.add(PaperBatch(cycle_id=cycle_id, commune_id=loix.id,
                                  label="Mairie de Loix, dimanche", declared_count=7))
        db.session.commit()
    expect(loix_paper).to_have_text("7", timeout=10_000)  # no reload: the script asked again
