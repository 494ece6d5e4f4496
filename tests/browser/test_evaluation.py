"""The evaluation after delivery in the browser: on a delivered project of La Flotte (this
module's own published cycle, four neighbours already answered), the resident of La Flotte
answers and sees the indicator appear with the fifth answer; La Flotte's staff publish the
evaluation text, which the project's page then shows; the Éditions page has its columns.
Every page is checked by axe."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in

CYCLE = "Budget participatif 2036 (évaluation)"
RESIDENT = ("habitant@demo.budget.fr", "habitant-demo-2026")  # lives in La Flotte
CLERK = ("mairie@demo.budget.fr", "mairie-demo-2026")  # La Flotte's staff
PROJECT = "Aire de jeux ombragée du port"


@pytest.fixture(scope="module")
def delivered_project(live_server) -> int:
    """This module's cycle of the demo territory, published; La Flotte's winner delivered ten
    days ago and answered by four synthetic neighbours. Returns the project's id."""
    from budget.domain.delivery import Stage, TrackingUpdate
    from budget.domain.proposals import Status
    from budget.extensions import db
    from budget.models import BudgetCycle, Commune, Envelope, Intercommunality, Proposal, User
    from budget.models.time import utcnow
    from budget.services import cycles, evaluation, tally, tracking, tracking_read, voting
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        flotte = db.session.scalar(db.select(Commune).where(Commune.insee_code == "17161"))
        resident = db.session.scalar(db.select(User).where(User.email == RESIDENT[0]))
        now = utcnow()
        cycle = BudgetCycle(intercommunality=epci, title=CYCLE, description="",
                            proposals_start=now - timedelta(days=400),
                            review_start=now - timedelta(days=380),
                            vote_start=now - timedelta(days=370),
                            vote_end=now + timedelta(days=5), vote_format="approval",
                            vote_params={"max_choices": 3}, tally_rule="greedy")
        local = Envelope(cycle=cycle, commune=flotte, amount=20_000)
        db.session.add_all([cycle, local])
        project = Proposal(cycle=cycle, envelope=local, author=resident, title=PROJECT,
                           description="Des jeux et de l'ombre près du port.",
                           estimated_cost=15_000, final_cost=15_000, status=Status.ON_BALLOT)
        db.session.add(project)
        db.session.commit()
        voting.cast(resident, cycle, [project.id])
        cycles.close_vote(SYSTEM_OPERATOR, cycle)
        run = tally.run_tally(SYSTEM_OPERATOR, cycle)
        tally.publish(SYSTEM_OPERATOR, cycle, run.id)
        record = tracking_read.of_proposal(project)
        tracking.update(SYSTEM_OPERATOR, record, TrackingUpdate(
            stage=Stage.DELIVERED, progress=100, committed=15_000, spent=14_200,
            planned_delivery=None, delivered_on=tracking.today() - timedelta(days=10),
            abandon_reason="", service="Services techniques", delivered_by_commune=True))
        neighbours = db.session.scalars(db.select(User).where(
            User.home_commune_id == flotte.id, User.email.like("electeur%"))
            .order_by(User.id).limit(4)).all()
        assert len(neighbours) == 4, "the demo has synthetic residents in La Flotte"
        for person, usefulness in zip(neighbours, (5, 4, 3, 4)):
            evaluation.answer(person, record, "yes" if usefulness > 3 else "no", usefulness)
        return project.id


def test_a_resident_answers_and_sees_the_indicator(live_server, delivered_project, new_page,
                                                    check_page):
    page = new_page(PHONE)
    sign_in(page, *RESIDENT)
    page.goto(f"/proposals/{delivered_project}")
    section = page.locator("#evaluation")
    expect(section.get_by_role("heading", name="Évaluation après livraison")).to_be_visible()
    expect(section).to_contain_text("Moins de 5 habitants ont répondu")
    check_page(page, "evaluation-form")
    form = section.locator("form")
    form.get_by_role("group", name="L'utilisez-vous\u202f?").get_by_label("Parfois").check()
    form.get_by_role("group", name="Est-il utile, de 1 à 5\u202f?").get_by_label(
        "5 – Très utile").check()
    form.get_by_label("Un commentaire, facultatif").fill("Ombre bienvenue l'après-midi.")
    form.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("status")).to_contain_text("votre réponse est enregistrée")
    section = page.locator("#evaluation")
    figures = section.locator(".evaluation-figures")
    expect(figures).to_contain_text("5")  # five answers: the figures are shown
    expect(figures).to_contain_text("80")  # 4 of 5 use it (yes or sometimes)
    expect(figures).to_contain_text("4,2 sur 5")
    expect(section).to_contain_text("Vous avez répondu le")
    expect(section).to_contain_text("Ombre bienvenue l'après-midi.")
    expect(section.locator("form")).to_have_count(0)  # one answer per account
    check_page(page, "evaluation-answered")


def test_staff_publish_the_evaluation_text(live_server, delivered_project, new_page,
                                           check_page):
    page = new_page(DESKTOP)
    sign_in(page, *CLERK)
    page.goto(f"/proposals/{delivered_project}")
    page.locator("#evaluation").get_by_role("link", name="Publier l'évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    check_page(page, "evaluation-staff")
    page.get_by_label("L'évaluation, en quelques phrases").fill("Trop court")
    page.get_by_role("button", name="Publier l'évaluation").click()
    expect(page.locator(".field.has-error")).to_contain_text("entre 20 et")
    text = "Très fréquentée les après-midi d'été ; un point d'eau est demandé."
    page.get_by_label("L'évaluation, en quelques phrases").fill(text)
    page.get_by_role("button", name="Publier l'évaluation").click()
    expect(page.get_by_role("status")).to_contain_text("L'évaluation est publiée.")
    page.goto(f"/proposals/{delivered_project}")
    expect(page.locator("#evaluation")).to_contain_text(text)


def test_the_editions_page_shows_the_evaluation_columns(live_server, new_page, check_page):
    from budget.extensions import db
    from budget.models import Intercommunality

    with live_server.app.app_context():
        epci_id = db.session.scalar(db.select(Intercommunality.id))
    page = new_page(PHONE)
    page.goto(f"/intercommunalities/{epci_id}/editions")
    expect(page.get_by_role("columnheader", name="Projets livrés évalués")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Utilité moyenne, sur 5")).to_be_visible()
    check_page(page, "evaluation-editions")
