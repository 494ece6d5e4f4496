"""A use case whose first write comes after another connection committed still succeeds.

On SQLite (WAL) a transaction that has read cannot write once another connection committed
after its first read: "database is locked" at once (SQLITE_BUSY_SNAPSHOT), without waiting
for the busy timeout. A resident's click (follow a proposal) or a moderator's (hide a
comment) then got the "service very busy" page whenever anyone else wrote meanwhile. Real
connections and real commits, on SQLite and PostgreSQL (where nothing needs retrying)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Comment, Follow, Proposal, User
from budget.services import discussion, follows
from budget.services.transaction import use_case
from tests import factories
from tests.concurrency.cleanup import empty_every_table

# Where the other connection commits: just before our first write, or before we take SQLite's
# write lock (holding it, we would make the other wait until our commit, not go before us).
WRITING = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        cycle.comment_phases = ["vote"]
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
        yield w, park.id
        empty_every_table()


@contextmanager
def someone_else_commits_just_before_our_first_write(user_id: int):
    """When this connection is about to write (or to take the write lock), another connection
    changes a user's name and commits: what this transaction read is then an old snapshot."""
    staged = []

    def before_write(connection, cursor, statement, *args):
        if staged or not statement.lstrip().upper().startswith(WRITING):
            return
        staged.append(statement)
        with db.engine.connect() as other:
            other.execute(sa.update(User).where(User.id == user_id)
                          .values(display_name="Renamed meanwhile"))
            other.commit()

    sa.event.listen(db.engine, "before_cursor_execute", before_write)
    try:
        yield staged
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before_write)


def test_a_resident_follows_a_proposal_while_someone_else_writes(committed):
    w, park_id = committed
    alice = db.session.get(User, w.users["alice"].id)  # read: the transaction has begun
    park = db.session.get(Proposal, park_id)
    with someone_else_commits_just_before_our_first_write(w.users["bob"].id) as staged:
        follows.follow(alice, park)
    assert staged, "the other connection's commit was not staged"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Follow).where(
        Follow.user_id == w.users["alice"].id, Follow.proposal_id == park_id)) == 1
    assert db.session.get(User, w.users["bob"].id).display_name == "Renamed meanwhile"


def test_a_resident_comments_while_someone_else_writes(committed):
    """A `with unit_of_work()` block cannot be run again: it takes the write lock first."""
    w, park_id = committed
    alice = db.session.get(User, w.users["alice"].id)
    park = db.session.get(Proposal, park_id)
    with someone_else_commits_just_before_our_first_write(w.users["bob"].id) as staged:
        discussion.post(alice, park, "Bonne idée, près de l'école.", accepts_charter=True)
    assert staged
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.proposal_id == park_id)) == 1


@use_case
def _rename(user_id: int, attempts: list) -> None:
    attempts.append(db.session.get(User, user_id).display_name)
    db.session.get(User, user_id).display_name = "Renamed by the use case"


def test_the_second_attempt_holds_the_write_lock_and_reads_afresh(committed):
    """Run once more from the start, the use case reads what the other connection wrote,
    and its own change is the one kept."""
    w, _ = committed
    attempts = []
    db.session.get(User, w.users["alice"].id)  # read: the transaction has begun
    with someone_else_commits_just_before_our_first_write(w.users["bob"].id) as staged:
        _rename(w.users["bob"].id, attempts)
    assert staged
    if db.engine.dialect.name == "sqlite":
        assert attempts[1:] == ["Renamed meanwhile"]
    db.session.rollback()
    assert db.session.get(User, w.users["bob"].id).display_name == "Renamed by the use case"
