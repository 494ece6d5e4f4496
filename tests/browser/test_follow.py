"""Following a proposal in the browser, on a phone: a resident clicks "Suivre", the staff put
the proposal on the ballot, the daily digest emails her, and the email's link (opened without
signing in) asks before it unfollows. axe checks every page on the way."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

CYCLE = "Budget participatif 2032"
FOLLOWER = ("ines@example.fr", "ines-voisine-2032")
AUTHOR = "habitant@demo.budget.fr"
TITLE = "Boîte à livres devant l'école"
SUBJECT = "Des nouvelles des propositions que vous suivez"


@pytest.fixture(scope="module")
def proposal_id(live_server) -> int:
    """A proposal of the demo resident in a cycle of this file alone, open for proposals, and
    a neighbour with a confirmed account."""
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
        author = db.session.scalar(db.select(User).where(User.email == AUTHOR))
        db.session.add(User(email=FOLLOWER[0], password_hash=hash_password(FOLLOWER[1]),
                            display_name="Inès", role=Role.CITIZEN,
                            home_commune_id=author.home_commune_id, email_verified_at=now))
        db.session.commit()
        envelope = next(e for e in cycle.envelopes if e.commune_id == author.home_commune_id)
        return proposals.submit(author, cycle, ProposalDraft(
            TITLE, "Des livres à partager, à l'abri de la pluie.", 600, envelope.id)).id


def put_on_the_ballot_and_send_the_digests(live_server, proposal_id) -> None:
    """The staff's decision, then the daily timer's `flask budget send-digests`."""
    from budget.domain.proposals import Status
    from budget.extensions import db
    from budget.jobs.tasks import send_follow_digests
    from budget.models import Proposal
    from budget.services import proposals
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        proposals.review(SYSTEM_OPERATOR, proposal, proposals.Decision(
            Status.ON_BALLOT, final_cost=650, cost_justification="Pose comprise."))
        assert send_follow_digests()["sent"] >= 1


def test_follow_on_a_phone_then_unfollow_from_the_email(live_server, proposal_id, new_page,
                                                         check_page):
    page = new_page(PHONE)
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(FOLLOWER[0])
    page.get_by_label("Mot de passe", exact=True).fill(FOLLOWER[1])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto(f"/proposals/{proposal_id}")
    expect(page.get_by_role("heading", name="Suivre")).to_be_visible()
    check_page(page, "follow-proposal")
    page.get_by_label("Aussi les nouveaux commentaires").check()
    page.get_by_role("button", name="Suivre", exact=True).click()
    expect(page.get_by_text("Vous suivez cette proposition :".replace(" :", "\u202f:"))) \
        .to_be_visible()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    check_page(page, "follow-followed")
    page.goto("/account")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check_page(page, "follow-account")

    put_on_the_ballot_and_send_the_digests(live_server, proposal_id)
    [mail] = [m for m in live_server.outbox()
              if m["To"] == FOLLOWER[0] and m["Subject"] == SUBJECT]
    body = mail.get_content()
    assert f"« {TITLE} »" in body and "Elle est sur le bulletin de vote." in body
    link = re.search(r"(http://\S+/unfollow/\S+)", body).group(1)

    reader = new_page(PHONE)  # the email opened anywhere: no sign-in needed
    reader.goto(urlsplit(link).path)
    expect(reader.get_by_role("heading", name="Ne plus suivre une proposition")).to_be_visible()
    check_page(reader, "follow-unfollow-confirm")
    reader.get_by_role("button", name="Ne plus suivre").click()
    expect(reader.get_by_text(f"Vous ne suivez plus «\u202f{TITLE}\u202f»")).to_be_visible()
    check_page(reader, "follow-unfollow-done")

    page.goto("/account")
    expect(page.get_by_text("Vous ne suivez aucune proposition.")).to_be_visible()
