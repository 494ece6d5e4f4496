"""One evaluation answer per account and delivered project, with real concurrent connections
and real commits (as tests/concurrency/test_one_support.py does for supports): a double submit
of one resident stores one answer, the other submits are told it is already there, never a
500; many residents at once are all counted. On PostgreSQL the UNIQUE constraint decides."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import EvaluationAnswer, ProjectTracking, User
from budget.services import evaluation, tracking_read
from tests import factories
from tests.concurrency.cleanup import empty_every_table
from tests.services.evaluation_helpers import delivered_cycle

THREADS = 8
ROUNDS = 15


@pytest.fixture
def committed(app):
    with app.app_context():
        pub = delivered_cycle()
        record_id = tracking_read.of_proposal(pub.jardin).id
        db.session.commit()
        yield pub.w, record_id
        empty_every_table()


def answer_as(app, user_id: int, record_id: int, barrier) -> str:
    barrier.wait()  # before taking a connection: a waiting thread must not hold one
    with app.app_context():
        try:
            evaluation.answer(db.session.get(User, user_id),
                              db.session.get(ProjectTracking, record_id), "yes", 4)
        except DomainError as error:
            return "already" if error.message == evaluation.ALREADY else f"refused: {error!r}"
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def stored(record_id: int, user_id: int | None = None) -> int:
    query = select(func.count()).select_from(EvaluationAnswer).where(
        EvaluationAnswer.tracking_id == record_id)
    if user_id is not None:
        query = query.where(EvaluationAnswer.user_id == user_id)
    return db.session.scalar(query)


def test_a_double_submit_of_one_resident_stores_one_answer(app, committed):
    w, record_id = committed
    with ThreadPoolExecutor(THREADS) as pool:
        for round_number in range(ROUNDS):
            resident_id = factories.user(f"double{round_number}@example.fr", w.north).id
            db.session.commit()
            barrier = threading.Barrier(THREADS)
            outcomes = list(pool.map(
                lambda _, uid=resident_id, barrier=barrier: answer_as(
                    app, uid, record_id, barrier), range(THREADS)))
            assert sorted(outcomes) == ["already"] * (THREADS - 1) + ["ok"], outcomes
            db.session.expire_all()
            assert stored(record_id, resident_id) == 1, round_number
    assert stored(record_id) == ROUNDS


def test_many_residents_at_once_are_all_counted(app, committed):
    w, record_id = committed
    people = [factories.user(f"many{n}@example.fr", w.north).id for n in range(60)]
    db.session.commit()
    barrier = threading.Barrier(1)  # no lockstep here: just many concurrent requests
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda uid: answer_as(app, uid, record_id, barrier),
                                 [uid for uid in people for _ in range(2)]))
    assert outcomes.count("ok") == 60 and outcomes.count("already") == 60
    db.session.expire_all()
    assert stored(record_id) == 60
