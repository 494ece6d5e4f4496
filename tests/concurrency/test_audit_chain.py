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
import sqlalchemy as sa

from budget.extensions import begin_write_transaction, db
from budget.models import User
from budget.services import audit
from tests import factories

THREADS = 16
APPENDS = 12 * THREADS  # a whole number of rounds: the barrier lets THREADS go at once


@pytest.fixture
def admin_id(app):
    with app.app_context():
        w = factories.world()
        yield w.users["admin"].id
        db.session.rollback()
        # The append-only triggers refuse to empty the log: drop them, empty, put them back.
        if db.session.connection().dialect.name == "postgresql":
            db.session.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            db.session.execute(sa.text("DELETE FROM audit_log"))
            db.session.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            trigger = db.session.scalar(sa.text(
                "SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'"))
            db.session.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
            db.session.execute(sa.text("DELETE FROM audit_log"))
            db.session.execute(sa.text(trigger))
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "audit_log":
                db.session.execute(table.delete())
        db.session.commit()


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
