"""Reads from a PostgreSQL streaming replica: the one place that decides which database a
query goes to when a replica is configured (BUDGET_REPLICA_DATABASE_URL, config.py).

Why: on results day a whole territory opens the same published pages at once. A hot standby
of the primary serves those reads, so that the primary keeps its connections and CPU for what
only it can do: ballots, and every other write.

The rule:
- a view marked `@replica_readable` reads from the replica when one is configured, the
  request is a GET (or HEAD) and nobody is signed in;
- everything else goes to the primary: every POST; every signed-in person, because their pages
  show what they may have just written (their proposal, their ballot, their support; for
  staff, the results they just published) and a replica lags behind; and any write, even
  inside a marked view (a flush, an INSERT, UPDATE or DELETE, a SELECT ... FOR UPDATE), which a
  standby would refuse.

What the lag means: a visitor may see a public page as it was a moment ago (usually well
under a second, docs/operations.md). Published results never change: for them, nothing.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.engine import Engine
from sqlalchemy import Select, UpdateBase

REPLICA = "replica"  # the bind key: SQLALCHEMY_BINDS = {"replica": url}
_READING = "budget_reads_replica"  # session.info key: the session's reads go to the replica


def engine_for(session, clause) -> Engine | None:
    """The replica's engine when `session` reads from it now and `clause` only reads; None
    means the primary. Asked by the app's Session.get_bind (budget/extensions.py)."""
    if not session.info.get(_READING) or session._flushing:
        return None
    if isinstance(clause, UpdateBase) or (
            isinstance(clause, Select) and clause._for_update_arg is not None):
        return None
    return _engines().get(REPLICA)


def _engines():
    return current_app.extensions["sqlalchemy"].engines


def serves_this_request() -> bool:
    """Whether this request may read the replica (the rule above). Asks the database nothing
    for a visitor; a signed-in person's account is read from the primary."""
    return (REPLICA in _engines() and request.method in ("GET", "HEAD")
            and not current_user.is_authenticated)


@contextmanager
def reading_replica(session):
    """Inside, `session`'s reads go to the replica (writes still go to the primary)."""
    already = session.info.get(_READING, False)  # a marked view calling another one
    session.info[_READING] = True
    try:
        yield
    finally:
        session.info[_READING] = already


def replica_readable(view):
    """Mark a view whose page anyone may be shown a moment late: it reads from the replica
    when `serves_this_request()`. Only for public pages that write nothing;
    tests/web/test_read_replica.py checks that every marked view is a public GET route."""
    @functools.wraps(view)
    def read(*args, **kwargs):
        if not serves_this_request():
            return view(*args, **kwargs)
        with reading_replica(current_app.extensions["sqlalchemy"].session()):
            return view(*args, **kwargs)

    read.replica_readable = True
    return read
