"""Concurrent writers append to the audit log one after the other: the chain never forks.

Real connections and real commits, as in test_one_ballot.py; the tables are emptied after.
On PostgreSQL the appends wait for an advisory lock; on SQLite for the write lock, taken at
the start of the transaction as services writing under contention do
(begin_write_transaction).
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from budget.extensions import begin_write_transaction, db
from budget.models import User
from budget.services import audit
from tests import factories
from tests.concurrency.cleanup import empty_every_table

THREADS = 16
APPENDS = 12 * THREADS  # a whole number of rounds: the barrier lets THREADS go at once


@pytest.fixture
def admin_id(app):
    with app.app_context():
        w = factories.world()
        yield w.users["admin"].id
        empty_every_table()


def append(app, user_id: int, number: int, barrier) -> str:
    barrier.wait()
    with app.app_context():
        try:
            begin_write_transaction()
            audit.record(db.session.get(User, user_id), "test.append", after={"n": number})
            db.session.commit()
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
    return "ok"


def test_concurrent_appends_make_one_chain(app, admin_id):
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda n: append(app, admin_id, n, barrier), range(APPENDS)))
    assert outcomes == ["ok"] * APPENDS, sorted(set(outcomes))
    with app.app_context():
        broken, count, _ = audit.verify()
        assert (broken, count) == (None, APPENDS)
