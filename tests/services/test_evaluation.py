"""The evaluation after delivery (services/evaluation.py, evaluation_read.py,
evaluation_moderation.py): residents of the project's commune answer once, during a year;
staff publish a text; the indicators hide small counts; comments are moderated."""
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import DomainError, EmailNotVerified, NotAllowed
from budget.domain.evaluation import Usage
from budget.extensions import db
from budget.models import AuditEntry, EvaluationAnswer, Report
from budget.services import (evaluation, evaluation_moderation, evaluation_read, moderation,
                             tracking, tracking_read)
from tests import factories
from tests.services.evaluation_helpers import delivered_cycle


@pytest.fixture
def pub(session):
    return delivered_cycle()


def record_of(proposal):
    return tracking_read.of_proposal(proposal)


def residents(pub, count, commune=None):
    return [factories.user(f"habitant{n}@example.fr", commune or pub.w.north)
            for n in range(count)]


def test_a_resident_of_the_commune_answers_once(pub):
    jardin = record_of(pub.jardin)
    alice = pub.w.users["alice"]
    assert evaluation.may_answer(alice, jardin)
    found = evaluation.answer(alice, jardin, "sometimes", 4, "  Mes enfants y jouent.  ")
    assert (found.usage, found.usefulness, found.comment) == (Usage.SOMETIMES, 4,
                                                            "Mes enfants y jouent.")
    assert evaluation.answer_of(alice, jardin) == found
    assert not evaluation.may_answer(alice, jardin)
    with pytest.raises(DomainError, match="already evaluated"):
        evaluation.answer(alice, jardin, "no", 1)
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 1


def test_the_answer_is_stored_on_the_account_never_on_a_ballot():
    columns = {c.key for c in inspect(EvaluationAnswer).columns}
    assert not {name for name in columns if "ballot" in name or "participation" in name}
    foreign = {fk.column.table.name for fk in EvaluationAnswer.__table__.foreign_keys}
    assert foreign == {"project_trackings", "users"}


def test_only_residents_of_the_projects_commune_answer(pub):
    jardin, piste = record_of(pub.jardin), record_of(pub.piste)
    with pytest.raises(NotAllowed, match="residents of its commune"):
        evaluation.answer(pub.w.users["bob"], jardin, "yes", 5)  # Sudville
    with pytest.raises(NotAllowed):
        evaluation.answer(pub.w.users["zoe"], jardin, "yes", 5)  # another intercommunalité
    evaluation.answer(pub.w.users["bob"], piste, "yes", 5)  # intercommunal: every resident
    assert evaluation_read.of_project(piste).answers is None  # one answer: not shown


def test_an_unconfirmed_account_confirms_its_email_first(pub):
    late = factories.user("late@example.fr", pub.w.north, verified=False)
    with pytest.raises(EmailNotVerified):
        evaluation.answer(late, record_of(pub.jardin), "yes", 5)


def test_a_project_not_delivered_takes_no_answer(pub):
    with pytest.raises(DomainError, match="once it is delivered"):
        evaluation.answer(pub.w.users["bob"], record_of(pub.preau), "yes", 5)


def test_the_evaluation_closes_one_year_after_the_delivery(pub):
    jardin = record_of(pub.jardin)
    jardin.delivered_on = tracking.today() - timedelta(days=366)
    db.session.commit()
    with pytest.raises(DomainError, match="closed one year"):
        evaluation.answer(pub.w.users["alice"], jardin, "yes", 5)


def test_a_bad_answer_saves_nothing(pub):
    with pytest.raises(DomainError) as caught:
        evaluation.answer(pub.w.users["alice"], record_of(pub.jardin), "yes", 9)
    assert caught.value.field == "usefulness"
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 0


def test_the_database_refuses_a_second_answer_of_one_account(pub):
    jardin = record_of(pub.jardin)
    alice = pub.w.users["alice"]
    evaluation.answer(alice, jardin, "yes", 5)
    db.session.add(EvaluationAnswer(tracking_id=jardin.id, user_id=alice.id, usage=Usage.NO,
                                    usefulness=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_indicators_appear_from_five_answers(pub):
    jardin = record_of(pub.jardin)
    people = residents(pub, 5)
    for person, (usage, usefulness) in zip(people, [("yes", 5), ("yes", 4), ("sometimes", 3),
                                                    ("no", 1), ("no", 2)]):
        evaluation.answer(person, jardin, usage, usefulness)
        if person is not people[-1]:
            assert evaluation_read.of_project(jardin).answers is None
    found = evaluation_read.of_project(jardin)
    assert (found.answers, found.using_share, found.mean_usefulness) == (5, 0.6, 3.0)
    assert evaluation_read.of_project(record_of(pub.preau)) is None, "not delivered"


def test_an_edition_counts_its_delivered_projects_evaluated(pub):
    for person in residents(pub, 5):
        evaluation.answer(person, record_of(pub.jardin), "yes", 4)
    found = evaluation_read.of_cycles([pub.cycle.id])[pub.cycle.id]
    assert (found.delivered, found.evaluated, found.mean_usefulness) == (2, 1, 4.0)
    evaluation.publish_text(pub.w.users["staff"], record_of(pub.piste),
                            "La piste relie désormais les deux bourgs.")
    found = evaluation_read.of_cycles([pub.cycle.id])[pub.cycle.id]
    assert (found.evaluated, found.evaluated_share) == (2, 1.0)


def test_staff_of_the_commune_publish_the_evaluation_text_and_may_replace_it(pub):
    jardin = record_of(pub.jardin)
    clerk = pub.w.users["northclerk"]
    evaluation.publish_text(clerk, jardin, "Le jardin accueille deux écoles chaque semaine.")
    evaluation.publish_text(clerk, jardin, "Le jardin accueille trois écoles chaque semaine.")
    assert evaluation.text_of(jardin).body.startswith("Le jardin accueille trois")
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "tracking.evaluation")).all()
    assert len(entries) == 2 and entries[1].before["body"].startswith("Le jardin accueille deux")
    with pytest.raises(NotAllowed):
        evaluation.publish_text(pub.w.users["southclerk"], jardin, "Un texte assez long ici.")
    with pytest.raises(NotAllowed):
        evaluation.publish_text(pub.w.users["alice"], jardin, "Un texte assez long ici.")
    with pytest.raises(NotAllowed):  # the intercommunal project: the EPCI's staff only
        evaluation.publish_text(clerk, record_of(pub.piste), "Un texte assez long ici.")


def test_no_evaluation_text_before_the_delivery_and_none_too_short(pub):
    staff = pub.w.users["staff"]
    with pytest.raises(DomainError, match="once the project is delivered"):
        evaluation.publish_text(staff, record_of(pub.preau), "Un texte assez long ici.")
    with pytest.raises(DomainError) as caught:
        evaluation.publish_text(staff, record_of(pub.jardin), "Court")
    assert caught.value.field == "body" and evaluation.text_of(record_of(pub.jardin)) is None


def test_a_reported_comment_is_hidden_with_a_reason_and_restored(pub):
    jardin = record_of(pub.jardin)
    found = evaluation.answer(pub.w.users["alice"], jardin, "no", 1, "Insulte au maire")
    evaluation_moderation.report(pub.w.users["bob"], found, "Propos injurieux")
    with pytest.raises(DomainError, match="already reported"):
        evaluation_moderation.report(pub.w.users["bob"], found, "Encore")
    queue = db.session.scalars(moderation.queue(pub.w.users["northclerk"], pub.cycle)).all()
    assert [r.evaluation_answer_id for r in queue] == [found.id]
    with pytest.raises(NotAllowed):
        evaluation_moderation.hide(pub.w.users["southclerk"], found, "Hors charte")
    evaluation_moderation.hide(pub.w.users["northclerk"], found, "Propos injurieux")
    assert found.is_hidden and found.hidden_reason == "Propos injurieux"
    assert db.session.scalar(select(Report.outcome)) == "hidden"
    assert evaluation_read.answers_with_comments(jardin) == [found], "shown with the reason"
    evaluation_moderation.restore(pub.w.users["staff"], found)
    assert not found.is_hidden
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("evaluation.%")).order_by(AuditEntry.seq)).all()
    assert actions == ["evaluation.hide", "evaluation.restore"]


def test_an_answer_without_a_comment_cannot_be_reported(pub):
    found = evaluation.answer(pub.w.users["alice"], record_of(pub.jardin), "yes", 5)
    with pytest.raises(DomainError, match="no comment"):
        evaluation_moderation.report(pub.w.users["bob"], found, "Rien à signaler")


def test_a_report_of_an_answer_is_dismissed_as_any_other(pub):
    found = evaluation.answer(pub.w.users["alice"], record_of(pub.jardin), "yes", 5, "Bien")
    report = evaluation_moderation.report(pub.w.users["bob"], found, "Je ne suis pas d'accord")
    moderation.dismiss(pub.w.users["northclerk"], report)
    assert report.outcome == "dismissed" and not found.is_hidden


def test_a_new_answer_makes_a_new_open_data_file(pub):
    before = tracking_read.revision(pub.cycle)
    evaluation.answer(pub.w.users["alice"], record_of(pub.jardin), "yes", 5)
    assert tracking_read.revision(pub.cycle) != before
