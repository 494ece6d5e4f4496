"""One support per resident and proposal, with real concurrent connections and real commits
(as tests/concurrency/test_one_ballot.py does for ballots): many clicks of one resident at
once store one support, and many residents at once are all counted."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Proposal, ProposalSupport, User
from budget.services import supports
from tests import factories
from tests.concurrency.cleanup import empty_every_table

THREADS = 16
ROUNDS = 30


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.SUPPORTS)
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"],
                                 Status.SUBMITTED)
        yield w, park.id
        empty_every_table()


def support_as(app, user_id: int, proposal_id: int, barrier) -> str:
    barrier.wait()  # before taking a connection: a waiting thread must not hold one
    with app.app_context():
        try:
            supports.support(db.session.get(User, user_id), db.session.get(Proposal, proposal_id))
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def stored(proposal_id: int, user_id: int | None = None) -> int:
    query = select(func.count()).select_from(ProposalSupport).where(
        ProposalSupport.proposal_id == proposal_id)
    if user_id is not None:
        query = query.where(ProposalSupport.user_id == user_id)
    return db.session.scalar(query)


def test_one_resident_clicking_many_times_at_once_supports_once(app, committed):
    w, proposal_id = committed
    with ThreadPoolExecutor(THREADS) as pool:
        for round_number in range(ROUNDS):
            fan_id = factories.user(f"clicker{round_number}@example.fr", w.north).id
            db.session.commit()
            barrier = threading.Barrier(THREADS)
            outcomes = list(pool.map(
                lambda _, fan_id=fan_id, barrier=barrier: support_as(
                    app, fan_id, proposal_id, barrier), range(THREADS)))
            assert set(outcomes) == {"ok"}, outcomes  # every click answered, none failed
            db.session.expire_all()
            assert stored(proposal_id, fan_id) == 1, round_number
    assert stored(proposal_id) == ROUNDS


def test_many_residents_at_once_are_all_counted(app, committed):
    w, proposal_id = committed
    fans = [factories.user(f"fan{n}@example.fr", w.north).id for n in range(200)]
    db.session.commit()
    barrier = threading.Barrier(1)  # no lockstep here: just many concurrent requests
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda uid: support_as(app, uid, proposal_id, barrier),
                                 [uid for uid in fans for _ in range(2)]))
    assert outcomes.count("ok") == 400
    db.session.expire_all()
    assert stored(proposal_id) == 200
