"""One transaction boundary: a use case commits when it returns and rolls back when anything
is raised, here and nowhere else (views never touch the session).

    @use_case
    def close_vote(user, cycle): ...        # the whole function is one transaction

    with unit_of_work():                    # when something must happen after the commit
        ...                                 # (an email, a job, files removed)
    notifications.send(...)

On SQLite a use case that read, then wrote after another connection committed, fails at once
("database is locked": its snapshot is stale, and waiting would not help); it is run once more
from the start, holding the write lock throughout (use_case). A `with unit_of_work()` block
cannot be run again: it takes the lock first (begin_write_transaction) where it reads to write.

A use case never runs inside another: each is its own transaction, so the inner one's commit
would otherwise commit the outer one's half-done work. The few services that commit more than
once do it on purpose and say why (ballot_box.mix: a transaction of its own).
"""
from __future__ import annotations

import functools
import sqlite3
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError

from budget.extensions import begin_write_transaction, db

_OPEN = "budget_use_case_open"


class NestedUseCase(RuntimeError):
    """A use case was started inside another one."""


@contextmanager
def unit_of_work():
    """Commit what the block wrote when it ends; roll it all back if it raises (anything,
    a domain error included), so no change stays pending and no lock stays held."""
    session = db.session()
    if session.info.get(_OPEN):
        raise NestedUseCase("a use case started inside another one")
    session.info[_OPEN] = True
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_OPEN, None)


def use_case(function):
    """Run `function` as one unit of work (see unit_of_work); on SQLite, once more with the
    write lock taken first when its snapshot went stale (see above). Rolled back, the first
    attempt left nothing; the second reads everything afresh."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            with unit_of_work():
                return function(*args, **kwargs)
        except OperationalError as error:
            if not _stale_snapshot(error):
                raise
        with unit_of_work():
            begin_write_transaction()
            return function(*args, **kwargs)
    return run


def _stale_snapshot(error: OperationalError) -> bool:
    """SQLite's SQLITE_BUSY_SNAPSHOT: another connection committed since this transaction's
    first read. (Plain SQLITE_BUSY means the busy timeout ran out: not retried.)"""
    return getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY_SNAPSHOT
