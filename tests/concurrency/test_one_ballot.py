"""One person, one ballot, with real concurrent connections and real commits.

These tests cannot run inside the usual rolled-back transaction (a thread would never see
another's uncommitted rows), so they commit for real and empty the tables afterwards.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from budget.domain.errors import AlreadyVoted
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, BudgetCycle, Participation, User
from budget.services import ballot_box, voting
from tests import factories
from tests.concurrency.cleanup import empty_every_table

THREADS = 32
ROUNDS = 100


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
        yield w, cycle.id, park.id
        empty_every_table()


def cast_as(app, user_id: int, cycle_id: int, project_id: int, barrier) -> str:
    barrier.wait()  # before taking a connection: a waiting thread must not hold one
    with app.app_context():
        user = db.session.get(User, user_id)
        cycle = db.session.get(BudgetCycle, cycle_id)
        try:
            voting.cast(user, cycle, [project_id])
        except AlreadyVoted:
            return "already voted"
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def count(model, cycle_id: int) -> int:
    ballot_box.mix()
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.cycle_id == cycle_id))


def test_same_voter_racing_gets_exactly_one_ballot(app, committed):
    w, cycle_id, project_id = committed
    with ThreadPoolExecutor(THREADS) as pool:
        for round_number in range(ROUNDS):
            voter_id = factories.user(f"racer{round_number}@example.fr", w.north).id
            db.session.commit()
            barrier = threading.Barrier(THREADS)
            outcomes = list(pool.map(
                lambda _, voter_id=voter_id, barrier=barrier: cast_as(
                    app, voter_id, cycle_id, project_id, barrier), range(THREADS)))
            assert sorted(set(outcomes)) == ["already voted", "ok"], outcomes
            assert outcomes.count("ok") == 1, round_number
    db.session.expire_all()
    assert count(Participation, cycle_id) == ROUNDS
    assert count(Ballot, cycle_id) == ROUNDS


def test_many_voters_each_sending_twice_get_one_ballot_each(app, committed):
    w, cycle_id, project_id = committed
    voters = [factories.user(f"double{n}@example.fr", w.north).id for n in range(500)]
    db.session.commit()
    barrier = threading.Barrier(1)  # no lockstep here: just many concurrent requests
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda uid: cast_as(app, uid, cycle_id, project_id, barrier),
                                 [uid for uid in voters for _ in range(2)]))
    assert outcomes.count("ok") == 500
    assert outcomes.count("already voted") == 500
    db.session.expire_all()
    assert count(Ballot, cycle_id) == 500 and count(Participation, cycle_id) == 500
