"""Supporting a proposal on a 375 px phone: a resident of La Flotte supports a proposal of a
cycle in its supports phase, sees the count go up, withdraws, and the count goes back down;
then the phase is over, the staff's review queue says which proposals reach the 'top 2'
threshold, staff close the phase and the least supported proposal's author is emailed.
axe checks every page on the way."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

CYCLE = "Budget participatif 2033 (soutiens)"
AUTHOR = ("habitant@demo.budget.fr", "habitant-demo-2026")
FAN = ("nina@example.fr", "nina-voisine-2032")
TITLE = "Ombrières sur le parking de la plage"


@pytest.fixture(scope="module")
def proposal_id(live_server) -> int:
    """A proposal of the demo resident in a cycle of this file alone, whose supports phase
    opened a day ago (a 'top 2' threshold), and a neighbour of La Flotte with a confirmed
    account."""
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
            title=CYCLE, description="", proposals_start=now - timedelta(days=5),
            review_start=now + timedelta(days=20), vote_start=now + timedelta(days=40),
            vote_end=now + timedelta(days=60), vote_format="approval",
            vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes},
            supports_start=now + timedelta(minutes=1), support_threshold_kind="top",
            support_threshold_value=2))
        author = db.session.scalar(db.select(User).where(User.email == AUTHOR[0]))
        db.session.add(User(email=FAN[0], password_hash=hash_password(FAN[1]),
                            display_name="Nina", role=Role.CITIZEN,
                            home_commune_id=author.home_commune_id, email_verified_at=now))
        db.session.commit()
        envelope = next(e for e in cycle.envelopes if e.commune_id == author.home_commune_id)
        made = proposals.submit(author, cycle, ProposalDraft(
            TITLE, "De l'ombre pour les voitures et des panneaux solaires.", 6_000,
            envelope.id)).id
        # The proposals were collected; the supports phase opened a day ago.
        cycle.supports_start = now - timedelta(days=1)
        db.session.commit()
        return made


def sign_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_support_and_withdraw_on_a_phone(live_server, proposal_id, new_page, check_page):
    nina = new_page(PHONE)
    sign_in(nina, *FAN)
    nina.goto(f"/proposals/{proposal_id}")
    supports = nina.locator("#supports")
    expect(supports.get_by_role("heading", name="Soutiens")).to_be_visible()
    expect(supports.get_by_text("0 habitant soutient cette proposition.")).to_be_visible()
    check_page(nina, "supports-before")
    supports.get_by_role("button", name="Soutenir cette proposition").click()
    expect(nina.get_by_text("Vous soutenez cette proposition.").first).to_be_visible()
    expect(supports.get_by_text("1 habitant soutient cette proposition.")).to_be_visible()
    check_page(nina, "supports-supported")
    supports.get_by_role("button", name="Retirer mon soutien").click()
    expect(nina.get_by_text("Votre soutien a été retiré.")).to_be_visible()
    expect(supports.get_by_text("0 habitant soutient cette proposition.")).to_be_visible()
    expect(supports.get_by_role("button", name="Soutenir cette proposition")).to_be_visible()
    # The cycle's page: the supports phase in the timeline, the count on the card.
    nina.goto(f"/cycles/{live_server.cycle_id(CYCLE)}")
    expect(nina.get_by_text("Les soutiens sont ouverts")).to_be_visible()
    check_page(nina, "supports-cycle")


def test_staff_close_the_phase_and_the_top_2_threshold_leaves_the_least_supported_out(
        live_server, proposal_id, new_page, check_page):
    """Two more proposals of La Flotte, supported twice and once: with the 'top 2' threshold
    the staff's queue says which ones reach it; once the phase is over, staff close it and
    the unsupported proposal's author is emailed."""
    from budget.extensions import db
    from budget.models import BudgetCycle, Envelope, Proposal, ProposalSupport, User
    from budget.models.time import utcnow

    with live_server.app.app_context():
        mine = db.session.get(Proposal, proposal_id)
        cycle = db.session.get(BudgetCycle, mine.cycle_id)
        envelope = db.session.get(Envelope, mine.envelope_id)
        fans = db.session.scalars(db.select(User).where(
            User.email.in_([FAN[0], "agent@demo.budget.fr"]))).all()
        for title, backers in (("Piste de roller au stade", fans), ("Tables de pique-nique",
                                                                     fans[:1])):
            other = Proposal(cycle=cycle, envelope=envelope, author=fans[0], title=title,
                             description="Une idée du quartier.", estimated_cost=3_000)
            db.session.add(other)
            db.session.flush()
            db.session.add_all([ProposalSupport(proposal_id=other.id, user_id=fan.id)
                                for fan in backers])
        db.session.execute(db.delete(ProposalSupport).where(
            ProposalSupport.proposal_id == proposal_id))
        cycle.review_start = utcnow() - timedelta(minutes=1)  # the supports phase is over
        db.session.commit()
        cycle_id = cycle.id
    staff = new_page(PHONE)
    sign_in(staff, "agent@demo.budget.fr", "agent-demo-2026")
    staff.goto(f"/staff/cycles/{cycle_id}")
    row = staff.get_by_role("row").filter(has_text=TITLE)
    expect(row.get_by_role("cell", name="Non atteint")).to_be_visible()
    expect(staff.get_by_role("row").filter(has_text="Tables de pique-nique")
           .get_by_role("cell", name="Atteint", exact=True)).to_be_visible()
    check_page(staff, "supports-review-queue")
    staff.get_by_role("link", name="Clore la phase de soutiens").click()
    check_page(staff, "supports-confirm-close")
    staff.get_by_role("button", name="Oui, clore la phase de soutiens").click()
    expect(staff.get_by_text("Non retenue (soutiens insuffisants)")).to_have_count(1)
    with live_server.app.app_context():
        statuses = {p.title: p.status.value for p in db.session.scalars(
            db.select(Proposal).where(Proposal.cycle_id == cycle_id))}
    assert statuses == {TITLE: "unsupported", "Piste de roller au stade": "submitted",
                        "Tables de pique-nique": "submitted"}
    [mail] = [m for m in live_server.outbox() if m["To"] == AUTHOR[0]
              and m["Subject"] == "Votre proposition n'a pas réuni assez de soutiens"]
    assert TITLE in mail.get_content()
