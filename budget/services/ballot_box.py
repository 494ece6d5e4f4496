"""The ballot box at rest: online ballots wait in an inbox, then are mixed into the box.

A participation and its ballot are written in one transaction (one ballot per voter), so on
PostgreSQL both rows carry the id of that transaction (`xmin`) and the heap keeps them in
casting order: joined on `xmin`, or read in storage order (as a dump lists them), the two
tables would name every voter's ballot. So voting.cast writes the ballot to the inbox
(`InboxBallot`), and mix() moves the inbox into the box by a transaction of its own:

- each mix shuffles the new ballots together with older ballots of the same cycle taken out
  of the box and written again (cover), so a batch holds at least MIX_SIZE ballots once the box
  has that many, and nothing tells the new ones from the old;
- the emptied inbox and the rewritten rows are vacuumed at once (PostgreSQL) or overwritten
  (SQLite's secure_delete, extensions.py), so no deleted row keeps its old transaction id;
- a mix is due after MIX_SIZE ballots or when the oldest has waited MIX_EVERY, checked after
  each ballot (mix_when_due) and by `flask budget mix-ballots` on a timer;
- the tally seals the box (seal): the inbox is mixed in, and on PostgreSQL every ballot of the
  cycle is written again by one transaction, in the order of the random ids.

docs/security.md says what someone watching the database live can still see, and for how long.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import delete, func, insert, select, text

from budget import jobs
from budget.extensions import begin_write_transaction, db
from budget.models import Ballot, BallotSelection, BudgetCycle, InboxBallot
from budget.models.time import utcnow
from budget.services.transaction import unit_of_work

MIX_SIZE = 20
MIX_EVERY = timedelta(minutes=5)
_MIX_LOCK = 7_240_517  # pg_advisory_xact_lock key: one mix at a time (any number, fixed)
_shuffle = random.SystemRandom().shuffle


def mix() -> int:
    """Move every waiting ballot into the box, in one transaction of its own; return how many
    were moved."""
    with unit_of_work():
        begin_write_transaction()
        moved = _mix_inbox()
    if moved:  # nothing was deleted otherwise: a mix started twice costs no vacuum
        _forget_deleted_rows()
    return moved


def mix_when_due() -> None:
    """Start a mix (a background job) when the inbox holds MIX_SIZE ballots or its oldest has
    waited MIX_EVERY. Called after a ballot is committed."""
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(InboxBallot.queued_at))).one()
    if waiting >= MIX_SIZE or (oldest is not None and utcnow() - oldest >= MIX_EVERY):
        jobs.enqueue("mix_ballots")


def seal(cycle: BudgetCycle) -> None:
    """Before a tally, in its transaction (the caller commits): mix in what waits, then, on
    PostgreSQL, write every ballot of `cycle` again and rewrite the tables (CLUSTER) in the
    order of the ballots' random ids, so that no row keeps the order it came in.

    Writing again is an UPDATE that changes no value: every live row then carries this
    transaction's id (xmin), and since no key changes, PostgreSQL checks no foreign key (a
    DELETE and INSERT of the same rows checked one per selection: 26 s against 4 s for
    Warszawa 2026's 61,668 ballots on a loaded machine).

    A box sealed before and grown by no ballot since is left as it is: ballots are never
    deleted (a mix takes some out and writes them again with the new ones, so the count
    grows), so an unchanged count means every row is still the seal's."""
    _mix_inbox()
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite keeps ballots WITHOUT ROWID: in the order of their random ids
    ballots = db.session.scalar(select(func.count()).select_from(Ballot)
                                .where(Ballot.cycle_id == cycle.id))
    if cycle.sealed_ballots == ballots:
        return
    for statement in (
            "UPDATE ballots SET channel = channel WHERE cycle_id = :c",
            "UPDATE ballot_selections s SET points = s.points FROM ballots b "
            "WHERE b.id = s.ballot_id AND b.cycle_id = :c",
            "CLUSTER ballots USING pk_ballots",
            "CLUSTER ballot_selections USING pk_ballot_selections"):
        db.session.execute(text(statement), {"c": cycle.id})
    cycle.sealed_ballots = ballots


def count(cycle: BudgetCycle) -> int:
    """Ballots cast in `cycle`: in the box and still waiting."""
    return sum(db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.cycle_id == cycle.id))
               for model in (Ballot, InboxBallot))


def projects_of_receipt(cycle: BudgetCycle, hashed: str) -> set[int] | None:
    """The project ids of the ballot of `cycle` whose receipt code hashes to `hashed`, wherever
    it is (box or inbox), or None."""
    waiting = db.session.scalar(select(InboxBallot.selections).where(
        InboxBallot.cycle_id == cycle.id, InboxBallot.receipt_hash == hashed))
    if waiting is not None:
        return {project_id for project_id, _points in waiting}
    ballot_id = db.session.scalar(select(Ballot.id).where(
        Ballot.cycle_id == cycle.id, Ballot.receipt_hash == hashed))
    if ballot_id is None:
        return None
    return set(db.session.scalars(select(BallotSelection.proposal_id)
                                  .where(BallotSelection.ballot_id == ballot_id)))


def _mix_inbox() -> int:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIX_LOCK})
    inbox = InboxBallot.__table__
    waiting = db.session.execute(select(inbox)).all()
    if not waiting:
        return 0
    by_cycle = defaultdict(list)
    for row in waiting:
        by_cycle[row.cycle_id].append(
            ({"id": row.id, "cycle_id": row.cycle_id, "commune_id": row.commune_id,
              "receipt_hash": row.receipt_hash, "channel": row.channel}, row.selections))
    ballots, selections = [], []
    for cycle_id, new in by_cycle.items():
        batch = new + _take_out(cycle_id, MIX_SIZE - len(new))
        _shuffle(batch)
        for ballot, chosen in batch:
            ballots.append(ballot)
            selections.extend({"ballot_id": ballot["id"], "proposal_id": project_id,
                               "points": points} for project_id, points in chosen)
    db.session.execute(delete(inbox).where(inbox.c.id.in_([row.id for row in waiting])))
    db.session.execute(insert(Ballot.__table__), ballots)
    if selections:
        db.session.execute(insert(BallotSelection.__table__), selections)
    return len(waiting)


def _take_out(cycle_id: int, wanted: int) -> list[tuple[dict, list]]:
    """Up to `wanted` ballots of the cycle drawn at random, deleted from the box and returned
    as rows, to be written again beside the new ones."""
    if wanted <= 0:
        return []
    table = Ballot.__table__
    drawn = db.session.execute(select(table).where(table.c.cycle_id == cycle_id)
                               .order_by(func.random()).limit(wanted)).all()
    if not drawn:
        return []
    ids = [row.id for row in drawn]
    chosen = defaultdict(list)
    for ballot_id, project_id, points in db.session.execute(
            select(BallotSelection.ballot_id, BallotSelection.proposal_id,
                   BallotSelection.points).where(BallotSelection.ballot_id.in_(ids))):
        chosen[ballot_id].append((project_id, points))
    db.session.execute(delete(BallotSelection.__table__)
                       .where(BallotSelection.ballot_id.in_(ids)))
    db.session.execute(delete(table).where(table.c.id.in_(ids)))
    return [(dict(row._mapping), chosen[row.id]) for row in drawn]


def _forget_deleted_rows() -> None:
    """PostgreSQL keeps a deleted row, with its transaction id, until it is vacuumed: vacuum
    the three tables now (SKIP_LOCKED: never wait behind a tally's CLUSTER). TRUNCATE false:
    giving the emptied pages at a table's end back to the system needs its ACCESS EXCLUSIVE
    lock, which voters' inserts would queue behind, and while a voter's transaction holds the
    table PostgreSQL keeps trying for it, 5 s a table; the next ballots reuse those pages."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM (SKIP_LOCKED, TRUNCATE false) ballot_inbox, ballots, ballot_selections")
