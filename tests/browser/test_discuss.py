"""Discussing a proposal in the browser: a resident comments (accepting the charter first),
the proposal's author replies and is emailed, another resident reports the comment, the
intercommunalité's staff hide it from the moderation queue, and the page shows the
moderators' note in its place. axe checks every page on the way."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in

CYCLE = "Budget participatif 2031"
AUTHOR = ("habitant@demo.budget.fr", "habitant-demo-2026")
STAFF = ("agent@demo.budget.fr", "agent-demo-2026")
NEIGHBOUR = ("lea@example.fr", "lea-voisine-2031")
REPORTER = ("marc@example.fr", "marc-voisin-2031")
TITLE = "Jardin partagé derrière la salle des fêtes"


@pytest.fixture(scope="module")
def proposal_id(live_server) -> int:
    """A proposal of the demo resident in a cycle of this file alone, open for proposals,
    and two neighbours of La Flotte with confirmed accounts."""
    from budget.extensions import db
    from budget.models import Intercommunality, Role, User
    from budget.models.time import utcnow
    from budget.services import proposals
    from budget.services.accounts import hash_password
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.policy import SYSTEM_OPERATOR
    from budget.services.proposals import ProposalDraft

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        now = utcnow()
        cycle = create_cycle(SYSTEM_OPERATOR, epci, CycleDraft(
            title=CYCLE, description="", proposals_start=now - timedelta(days=1),
            review_start=now + timedelta(days=20), vote_start=now + timedelta(days=40),
            vote_end=now + timedelta(days=60), vote_format="approval",
            vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes}))
        author = db.session.scalar(db.select(User).where(User.email == AUTHOR[0]))
        for email, password in (NEIGHBOUR, REPORTER):
            db.session.add(User(email=email, password_hash=hash_password(password),
                                display_name=email.split("@")[0].capitalize(),
                                role=Role.CITIZEN, home_commune_id=author.home_commune_id,
                                email_verified_at=now))
        db.session.commit()
        envelope = next(e for e in cycle.envelopes if e.commune_id == author.home_commune_id)
        return proposals.submit(author, cycle, ProposalDraft(
            TITLE, "Des parcelles pour les habitants sans jardin.", 4_000, envelope.id)).id


def test_comment_reply_report_and_hide(live_server, proposal_id, new_page, check_page):
    url = f"/proposals/{proposal_id}"
    lea = new_page(PHONE)
    sign_in(lea, *NEIGHBOUR)
    lea.goto(url)
    expect(lea.get_by_role("heading", name="Commentaires")).to_be_visible()
    expect(lea.get_by_text("Aucun commentaire pour l'instant.")).to_be_visible()
    lea.get_by_label("Votre commentaire").fill(
        "Qui arrosera l'été ? Voir https://exemple.fr/jardins <script>alert(1)</script>")
    # The charter comes before a first comment: without ticking it, nothing is published.
    lea.get_by_role("button", name="Publier mon commentaire").click()
    expect(lea.get_by_text("Acceptez la charte de participation")).to_be_visible()
    check_page(lea, "discuss-charter-refused")
    lea.get_by_label("J'ai lu la charte de participation et je l'accepte").check()
    lea.get_by_role("button", name="Publier mon commentaire").click()
    expect(lea.get_by_text("Votre commentaire est publié.")).to_be_visible()
    link = lea.get_by_role("link", name="https://exemple.fr/jardins")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")
    expect(lea.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()
    check_page(lea, "discuss-commented")

    mails = [m for m in live_server.outbox() if m["To"] == AUTHOR[0]
             and m["Subject"] == "Nouveau commentaire sur votre proposition"]
    assert mails and "Qui arrosera" in mails[-1].get_content()

    author = new_page(DESKTOP)
    sign_in(author, *AUTHOR)
    author.goto(url)
    author.get_by_role("link", name="Répondre à Lea").click()
    author.get_by_label("Votre commentaire").fill("Un tour d'arrosage entre voisins.")
    author.get_by_label("J'ai lu la charte de participation et je l'accepte").check()
    check_page(author, "discuss-reply-form")
    author.get_by_role("button", name="Publier mon commentaire").click()
    expect(author.locator(".replies").get_by_text("Un tour d'arrosage")).to_be_visible()

    marc = new_page(PHONE)
    sign_in(marc, *REPORTER)
    marc.goto(url)
    marc.get_by_role("link", name="Signaler le commentaire de Lea").click()
    marc.get_by_label("Motif").fill("Ce lien me paraît douteux.")
    check_page(marc, "discuss-report-form")
    marc.get_by_role("button", name="Envoyer le signalement").click()
    expect(marc.get_by_text("la modération va examiner votre signalement")).to_be_visible()

    staff = new_page(DESKTOP)
    sign_in(staff, *STAFF)
    staff.goto(f"/staff/cycles/{live_server.cycle_id(CYCLE)}/moderation")
    expect(staff.get_by_text("Motif donné\u202f: Ce lien me paraît douteux.")).to_be_visible()
    check_page(staff, "discuss-moderation-queue")
    staff.get_by_role("link", name="Masquer le commentaire de Lea").click()
    staff.get_by_label("Motif").fill("Lien vers un site sans rapport.")
    check_page(staff, "discuss-hide-form")
    staff.get_by_role("button", name="Masquer le commentaire").click()
    expect(staff.get_by_text("Le commentaire est masqué.")).to_be_visible()
    expect(staff.get_by_text("Aucun signalement à traiter.")).to_be_visible()

    lea.goto(url)
    expect(lea.get_by_text("Commentaire masqué par la modération\u202f: Lien vers un site "
                           "sans rapport.")).to_be_visible()
    expect(lea.get_by_text("Qui arrosera")).to_have_count(0)
    expect(lea.get_by_text("Un tour d'arrosage entre voisins.")).to_be_visible()
    check_page(lea, "discuss-hidden")
