"""The evaluation's pages: a resident answers on the project's page (errors beside the fields,
a second answer refused), visitors read the indicators and the comments without any name, a
reported comment waits in the cycle's moderation queue where staff hide it, and staff publish
the evaluation text."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budget.extensions import db
from budget.models import EvaluationAnswer
from budget.services import evaluation, tracking_read
from tests import factories
from tests.conftest import someone
from tests.services.evaluation_helpers import delivered_cycle


@pytest.fixture
def pub(session):
    return delivered_cycle()


@pytest.fixture
def someone_as(make_browser, pub):
    return lambda who: someone(make_browser, pub.w, who)


def answers() -> int:
    return db.session.scalar(select(func.count()).select_from(EvaluationAnswer))


def test_a_resident_answers_on_the_projects_page_once(pub, someone_as):
    alice = someone_as("alice")
    page = alice.get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Évaluation après livraison" in page and "Envoyer ma réponse" in page
    url = f"/proposals/{pub.jardin.id}/evaluation"
    refused = alice.post(url, {"usage": "yes", "usefulness": "9"})
    assert refused.status_code == 422 and answers() == 0
    assert "Choisissez son utilité, de 1 à 5." in refused.get_data(as_text=True)
    assert alice.post(url, {"usage": "yes", "usefulness": "4",
                            "comment": "Super"}).status_code == 302
    again = alice.post(url, {"usage": "no", "usefulness": "1"})
    assert again.status_code == 422 and answers() == 1
    assert "Vous avez déjà évalué ce projet" in again.get_data(as_text=True)


def test_a_resident_of_another_commune_is_refused(pub, someone_as):
    response = someone_as("bob").post(f"/proposals/{pub.jardin.id}/evaluation",
                                      {"usage": "yes", "usefulness": "4"})
    assert response.status_code == 403 and answers() == 0


def test_visitors_read_the_figures_and_comments_without_names(pub, someone_as):
    record = tracking_read.of_proposal(pub.jardin)
    for n in range(5):
        person = factories.user(f"nommee{n}@example.fr", pub.w.north)
        evaluation.answer(person, record, "sometimes", 3 + n % 2, f"Avis numéro {n}")
    page = someone_as(None).get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Réponses" in page and "100,0" in page and "3,4 sur 5" in page
    assert "Avis numéro 4" in page and "nommee" not in page
    assert "Se connecter pour répondre" in page


def test_a_reported_comment_is_hidden_from_the_moderation_queue(pub, someone_as):
    record = tracking_read.of_proposal(pub.jardin)
    found = evaluation.answer(pub.w.users["alice"], record, "no", 1, "Texte injurieux")
    bob = someone_as("bob")
    assert bob.post(f"/evaluation-answers/{found.id}/report",
                    {"reason": "Propos injurieux"}).status_code == 302
    clerk = someone_as("northclerk")
    queue = clerk.get(f"/staff/cycles/{pub.cycle.id}/moderation").get_data(as_text=True)
    assert "Texte injurieux" in queue and f"/evaluation-answers/{found.id}/hide" in queue
    assert clerk.post(f"/evaluation-answers/{found.id}/hide",
                      {"reason": "Propos injurieux"}).status_code == 302
    page = someone_as(None).get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Texte injurieux" not in page and "Propos injurieux" in page
    assert someone_as("southclerk").post(
        f"/evaluation-answers/{found.id}/restore").status_code == 403


def test_staff_publish_the_evaluation_text(pub, someone_as):
    clerk = someone_as("northclerk")
    url = f"/staff/proposals/{pub.jardin.id}/evaluation"
    assert clerk.get(url).status_code == 200
    assert clerk.post(url, {"body": "Court"}).status_code == 422
    assert clerk.post(url, {"body": "Le jardin accueille deux écoles."}).status_code == 302
    page = someone_as(None).get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Le jardin accueille deux écoles." in page
    assert someone_as("southclerk").get(url).status_code == 403
