"""A use case that raises a domain error after taking the write lock leaves nothing pending and
no lock held, with no help from the view: the next writer gets the lock at once. Real commits
(the lock of a rolled-back test transaction would prove nothing), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.errors import AlreadyVoted, DomainError, InvalidSetup, WrongPhase
from budget.domain.phases import Phase
from budget.extensions import db, has_pending_work
from budget.models import BudgetCycle, CensusEntry, Envelope, PaperBatch
from budget.services import census, cycle_setup, paper, voting
from tests import factories
from tests.concurrency.cleanup import empty_every_table

CENSUS_FILE = b"identifiant;date_de_naissance\nA1;02/03/1980\n"


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        cycle.park_id = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"]).id
        yield w, cycle
        empty_every_table()


def assert_nothing_pending_and_no_lock_held(cycle_id: int) -> None:
    session = db.session()
    assert not session.in_transaction() and not has_pending_work(session)
    if db.engine.dialect.name == "sqlite":
        raw = db.engine.raw_connection()  # the driver's own: no BEGIN sent by SQLAlchemy
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA busy_timeout=0")  # "database is locked" at once, no waiting
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
        finally:
            raw.close()
        return
    with db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '100ms'"))
        other.execute(select(BudgetCycle.id).where(BudgetCycle.id == cycle_id)
                      .with_for_update(nowait=True))
        held = other.scalar(text(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE a.datname = current_database() AND l.pid <> pg_backend_pid() "
            "AND l.locktype IN ('relation', 'tuple', 'transactionid', 'advisory')"))
        assert held == 0


def test_a_census_file_refused_after_the_lock_releases_it(committed):
    w, cycle = committed
    cycle_id = cycle.id  # read now: reading it after the refusal would begin a transaction
    cycle.eligibility = EligibilityRules(proof=Proof.CENSUS).as_params()
    db.session.commit()
    census.import_census(w.users["staff"], cycle, w.north, CENSUS_FILE)
    with pytest.raises(InvalidSetup):  # the same identifier, another date of birth
        census.import_census(w.users["staff"], cycle, w.north,
                             b"identifiant;date_de_naissance\nA1;03/03/1980\nB2;01/01/1990\n")
    assert_nothing_pending_and_no_lock_held(cycle_id)
    assert db.session.scalar(select(func.count()).select_from(CensusEntry)) == 1


def test_a_paper_batch_refused_after_the_cycle_lock_releases_it(committed):
    w, cycle = committed
    cycle_id = cycle.id  # read now: reading it after the refusal would begin a transaction
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    paper.start_entry(w.users["northclerk"], batch)
    with pytest.raises(DomainError, match="Both entries"):
        paper.validate(w.users["staff"], batch)
    assert_nothing_pending_and_no_lock_held(cycle_id)
    assert db.session.get(PaperBatch, batch.id).validated_at is None


def test_an_envelope_refused_after_the_cycle_lock_releases_it(committed):
    w, cycle = committed
    cycle_id = cycle.id  # read now: reading it after the refusal would begin a transaction
    envelope = factories.envelope(cycle, w.north)
    with pytest.raises(WrongPhase):  # the vote is open: its envelopes are frozen
        cycle_setup.configure_envelope(w.users["northclerk"], envelope, 1_000, {})
    assert_nothing_pending_and_no_lock_held(cycle_id)
    assert db.session.get(Envelope, envelope.id).amount == 10_000


def test_a_second_ballot_refused_by_the_database_releases_the_lock(committed):
    w, cycle = committed
    cycle_id = cycle.id  # read now: reading it after the refusal would begin a transaction
    voting.cast(w.users["alice"], cycle, [cycle.park_id])
    with pytest.raises(AlreadyVoted):  # the participation's UNIQUE constraint, after the lock
        voting.cast(w.users["alice"], cycle, [cycle.park_id])
    assert_nothing_pending_and_no_lock_held(cycle_id)
