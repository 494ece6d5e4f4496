"""Following the winners in the browser: staff publish a run and the tracking records appear;
La Flotte's staff update their project's stage, money, planned date and add a milestone with
a photo; residents see it on the public "Suivi des projets" page, its filters, its map and the
project's page; a follower of the project gets the change of stage in their daily digest, and
its link opens the project's page. Every page is checked by axe."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in, wait_until_loaded

CYCLE = "Budget participatif 2034 (suivi)"
STAFF = ("agent@demo.budget.fr", "agent-demo-2026")
CLERK = ("mairie@demo.budget.fr", "mairie-demo-2026")  # La Flotte's staff
FLOTTE_PROJECT = "Ponton de pêche accessible"
SHARED_PROJECT = "Abris à vélos dans les villages"
FOLLOWER = "suiveuse-2034@example.fr"  # follows La Flotte's project (her own account, so that
# no other test's digest of the day holds hers back)


def a_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 140, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def counted_cycle(live_server) -> int:
    """A cycle of the demo territory whose vote is closed and tallied, not yet published:
    a winner in La Flotte, one for the intercommunalité (this file's own cycle)."""
    from budget.domain.proposals import Status
    from budget.extensions import db
    from budget.models import BudgetCycle, Commune, Envelope, Intercommunality, Proposal, User
    from budget.models.time import utcnow
    from budget.models import Role
    from budget.services import cycles, follows, tally, voting
    from budget.services.accounts import hash_password
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        flotte = db.session.scalar(db.select(Commune).where(Commune.insee_code == "17161"))
        resident = db.session.scalar(db.select(User).where(
            User.email == "habitant@demo.budget.fr"))
        now = utcnow()
        cycle = BudgetCycle(intercommunality=epci, title=CYCLE, description="",
                            proposals_start=now - timedelta(days=60),
                            review_start=now - timedelta(days=40),
                            vote_start=now - timedelta(days=10),
                            vote_end=now + timedelta(days=5), vote_format="approval",
                            vote_params={"max_choices": 3}, tally_rule="greedy")
        shared = Envelope(cycle=cycle, commune_id=None, amount=50_000)
        local = Envelope(cycle=cycle, commune=flotte, amount=20_000)
        db.session.add_all([cycle, shared, local])
        projects = [Proposal(cycle=cycle, envelope=envelope, author=resident, title=title,
                             description="Un projet voté.", estimated_cost=cost,
                             final_cost=cost, status=Status.ON_BALLOT)
                    for envelope, title, cost in ((local, FLOTTE_PROJECT, 15_000),
                                                  (shared, SHARED_PROJECT, 30_000))]
        projects[0].latitude, projects[0].longitude = 46.1889, -1.3275  # La Flotte's port
        follower = User(email=FOLLOWER, password_hash=hash_password("suivi-2034-secret"),
                        display_name="Maëlle", role=Role.CITIZEN, home_commune=flotte,
                        email_verified_at=now)
        db.session.add_all([*projects, follower])
        db.session.commit()
        follows.follow(follower, projects[0])
        voting.cast(resident, cycle, [p.id for p in projects])
        cycles.close_vote(SYSTEM_OPERATOR, cycle)
        tally.run_tally(SYSTEM_OPERATOR, cycle)
        return cycle.id


def test_publish_then_follow_a_project_to_its_delivery(live_server, counted_cycle, new_page,
                                                        check_page):
    # Staff publish the run: a tracking record appears for each winner.
    staff = new_page(DESKTOP)
    sign_in(staff, *STAFF)
    staff.goto(f"/staff/cycles/{counted_cycle}")
    staff.get_by_role("link", name="Publier ces résultats").click()
    staff.get_by_role("button", name="Oui, publier ces résultats").click()
    expect(staff.get_by_role("status")).to_contain_text("publiés")
    staff.get_by_role("link", name="Suivi des projets : ce que sont devenus les projets "
                                   "lauréats").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Suivi des projets")
    main = staff.locator("main")
    expect(main).to_contain_text(FLOTTE_PROJECT)
    expect(main).to_contain_text(SHARED_PROJECT)
    expect(main).to_contain_text("Études")
    check_page(staff, "tracking-published")

    # La Flotte's staff update their project: stage, progress, money, planned date.
    clerk = new_page(PHONE)
    sign_in(clerk, *CLERK)
    clerk.goto(f"/staff/cycles/{counted_cycle}/tracking")
    check_page(clerk, "tracking-staff-list")
    expect(clerk.get_by_role("link", name=SHARED_PROJECT)).to_have_count(0)  # the EPCI's
    clerk.get_by_role("link", name=FLOTTE_PROJECT).click()
    check_page(clerk, "tracking-edit")
    # Abandoning needs a public reason: the form says so, next to the field.
    clerk.get_by_role("radio", name="Abandonné").check()
    clerk.get_by_role("button", name="Enregistrer").click()
    expect(clerk.locator(".error-summary")).to_contain_text(
        "Dites publiquement pourquoi le projet est abandonné.")
    check_page(clerk, "tracking-edit-error")
    clerk.get_by_role("radio", name="Travaux").check()
    clerk.get_by_label("Avancement, en pourcentage").fill("40")
    clerk.get_by_label("Argent engagé, en euros").fill("14000")
    clerk.get_by_label("Argent dépensé, en euros").fill("6000")
    clerk.get_by_label("Date de livraison prévue").fill("2027-06-30")
    clerk.get_by_label("Service chargé du projet").fill("Services techniques")
    clerk.get_by_role("button", name="Enregistrer").click()
    expect(clerk.get_by_role("status")).to_contain_text("mise à jour")
    project_path = follower_opens_the_digests_link(live_server, new_page)

    # A milestone with a photo.
    clerk.get_by_label("Date", exact=True).fill("2027-01-15")
    clerk.get_by_label("Ce qui s’est passé, en une courte phrase").fill(
        "Pose des premiers pieux")
    clerk.get_by_label("Photo, facultative").set_input_files(
        files=[{"name": "chantier.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}])
    clerk.get_by_label("Ce que montre la photo").fill("Les pieux du ponton dans l’eau")
    clerk.get_by_role("button", name="Ajouter le jalon").click()
    expect(clerk.get_by_role("status")).to_contain_text("jalon est ajouté")
    check_page(clerk, "tracking-edit-after")

    # Residents see it on the public page, filter it, and read the project's story.
    resident = new_page(PHONE)
    resident.goto(f"/cycles/{counted_cycle}/tracking")
    main = resident.locator("main")
    expect(main).to_contain_text("Travaux")
    expect(main).to_contain_text("40\u00a0% réalisé")
    expect(main).to_contain_text("6\u202f000\u00a0€ sur 15\u202f000\u00a0€ votés")
    expect(main).to_contain_text("Prévu pour juin 2027")
    expect(main).to_contain_text("Pose des premiers pieux")
    photo = resident.get_by_role("img", name="Les pieux du ponton dans l’eau")
    expect(photo).to_be_visible()
    wait_until_loaded(photo)
    check_page(resident, "tracking-public-phone")
    resident.get_by_label("Étape").select_option("works")
    resident.get_by_role("button", name="Filtrer").click()
    expect(resident.locator(".tracking-cards > li")).to_have_count(1)
    expect(resident.locator(".tracking-cards")).to_contain_text(FLOTTE_PROJECT)
    resident.get_by_role("link", name=FLOTTE_PROJECT).click()
    expect(resident.locator("main")).to_contain_text("Réalisation du projet")
    expect(resident.locator("main")).to_contain_text("Nouvelle étape\u202f: Travaux.")
    expect(resident.locator("main")).to_contain_text("Services techniques")
    check_page(resident, "tracking-project-page")

    # The same filters on the map: the project placed, the list under it.
    resident.goto(f"/cycles/{counted_cycle}/tracking?stage=works")
    resident.get_by_role("link", name="Voir ces projets sur une carte").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Carte du suivi des projets")
    expect(resident.get_by_label("Étape")).to_have_value("works")
    expect(resident.get_by_role("region", name="Carte du suivi des projets")).to_be_visible()
    expect(resident.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(resident.locator(".map-list > li")).to_have_count(1)
    expect(resident.locator(".map-list")).to_contain_text(FLOTTE_PROJECT)
    check_page(resident, "tracking-map-phone")
    resident.get_by_role("link", name="Voir ces projets en liste").click()
    expect(resident.locator(".tracking-cards > li")).to_have_count(1)
    assert urlsplit(resident.url).path == f"/cycles/{counted_cycle}/tracking"
    assert project_path.startswith("/proposals/")


def follower_opens_the_digests_link(live_server, new_page) -> str:
    """The daily timer's digest (`flask budget send-digests`): the follower's email tells the
    new stage; its link opens the project's page, signed out. Returns the link's path."""
    from budget.jobs.tasks import send_follow_digests

    with live_server.app.app_context():
        assert send_follow_digests()["sent"] >= 1
    [mail] = [m for m in live_server.outbox() if m["To"] == FOLLOWER]
    body = mail.get_content()
    assert f"« {FLOTTE_PROJECT} »" in body
    assert "désormais à l’étape «\u202fTravaux\u202f»." in body, body
    link = re.search(r"(http://\S+/proposals/\d+)", body).group(1)
    reader = new_page(PHONE)
    reader.goto(urlsplit(link).path)
    expect(reader.get_by_role("heading", level=1)).to_have_text(FLOTTE_PROJECT)
    expect(reader.locator("main")).to_contain_text("Nouvelle étape\u202f: Travaux.")
    return urlsplit(link).path
