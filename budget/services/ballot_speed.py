"""The ballot path's speed tricks, kept because the load benchmark needs them.

`make bench-load` (bench/vote_load.py) asks that a ballot cost at most twice a bare request
of the same app (at least 0.5 of its throughput, with a p99 under 250 ms at 32 clients). The
plain way measured 0.42-0.46 on PostgreSQL; these steps brought it to 0.51-0.65 (bench/README.md,
"Session 4", which gives each step's share). Each keeps the plain way beside it.

- The ballot rules are kept RULES_KEPT_SECONDS per process during the vote (`kept_rules`):
  one query fewer per ballot. They are frozen then: the policy lets nobody configure a cycle
  or review a project once its vote is open.
- The ballot's statements are built, and so compiled, once (`functools.cache`), with bound
  parameters: SQLAlchemy cannot cache a multi-row INSERT, and compiling it was a sixth of a
  ballot's CPU.
- On PostgreSQL the participation and the ballot are one INSERT (`insert_ballot`): the
  participation is a WITH clause. SQLite (no INSERT in WITH) runs the two INSERTs.
- Outside this module: the query that loads the signed-in voter also loads the cycle named
  in the URL (budget/app.py, `load_user`, which keeps it in `g.page_cycle` so that the
  session's identity map, which holds objects weakly, still has it when the view's
  `cycles.get_cycle` asks): one round trip fewer per page.
"""
from __future__ import annotations

import functools
import time
from collections.abc import Callable

from sqlalchemy import JSON, bindparam, or_, select

from budget.domain.ballot_rules import BallotEnvelope
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Commune, Envelope, InboxBallot, Participation, Proposal

# The key of an entry holds the vote's start, so a cycle created again under the same id is
# another entry; the delay bounds how long a change made outside the app (by hand, in the
# database) would go unseen.
RULES_KEPT_SECONDS = 10
_kept_rules: dict[tuple, tuple[float, tuple[BallotEnvelope, ...]]] = {}


def kept_rules(key: tuple, read: Callable[[], tuple[BallotEnvelope, ...]]
               ) -> tuple[BallotEnvelope, ...]:
    """The rules kept under `key` if read less than RULES_KEPT_SECONDS ago, else read()."""
    kept = _kept_rules.get(key)
    if kept is None or kept[0] < time.monotonic():
        if len(_kept_rules) > 1_000:
            _kept_rules.clear()
        kept = _kept_rules[key] = (time.monotonic() + RULES_KEPT_SECONDS, read())
    return kept[1]


@functools.cache
def ballot_rules_query():
    """Envelopes and project costs of a commune's ballot (parameters rules_cycle,
    rules_commune)."""
    return (select(Envelope.id, Envelope.commune_id, Commune.name, Envelope.amount,
                   Envelope.vote_params, Proposal.id, Proposal.final_cost)
            .outerjoin(Commune, Commune.id == Envelope.commune_id)
            .outerjoin(Proposal, (Proposal.envelope_id == Envelope.id)
                       & (Proposal.status == Status.ON_BALLOT))
            .where(Envelope.cycle_id == bindparam("rules_cycle"),
                   or_(Envelope.commune_id == bindparam("rules_commune"),
                       Envelope.commune_id.is_(None)))
            .order_by(Envelope.commune_id.is_(None), Envelope.id))


@functools.cache
def _ballot_inserts() -> tuple:
    """The participation and the ballot, waiting in the inbox (parameters as in
    insert_ballot)."""
    return (Participation.__table__.insert().values(
                cycle_id=bindparam("v_cycle"), user_id=bindparam("v_user"),
                voted_at=bindparam("v_at")),
            InboxBallot.__table__.insert().values(
                id=bindparam("v_ballot"), cycle_id=bindparam("v_cycle"),
                commune_id=bindparam("v_commune"), receipt_hash=bindparam("v_receipt"),
                selections=bindparam("v_selections", type_=JSON), queued_at=bindparam("v_at")))


@functools.cache
def _ballot_insert_in_one_statement():
    """Both in one statement, one round trip to PostgreSQL: the participation is a WITH
    clause of the ballot's insert, which PostgreSQL runs once whether or not it is read."""
    participation, ballot = _ballot_inserts()
    return ballot.add_cte(participation.cte("participation"))


def insert_ballot(values: dict) -> None:
    """Insert the participation and the inbox ballot: v_cycle, v_user, v_at, v_ballot,
    v_commune, v_receipt, v_selections ([[project id, points or None], ...])."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_ballot_insert_in_one_statement(), values)
        return
    for statement in _ballot_inserts():  # SQLite has no INSERT in WITH
        db.session.execute(statement, values)
