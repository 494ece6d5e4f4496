"""The voter list and the ballot box, kept apart.

`Participation` records who has voted (one row per voter and cycle, enforced by a UNIQUE
constraint). `Ballot` records what was voted: the commune, the selections and a hash of the
receipt code, with a random id, no voter id and no date or time, so that nothing links a
ballot back to its participation row.

A participation and its ballot must be written in one transaction (one ballot per voter), and
PostgreSQL stamps both rows with that transaction's id (`xmin`) and appends them to its heap in
casting order. So an online ballot first lands in the `InboxBallot` table, beside its
participation, and services/ballot_box.py moves the inbox into the box in batches, shuffled
among older ballots, by a transaction of its own; the tally rewrites the whole box once more.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.time import utcnow


def random_id() -> str:
    return uuid.uuid4().hex


class Participation(db.Model):
    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id", name="uq_participations_voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ballot(db.Model):
    __tablename__ = "ballots"
    # SQLite stores it in the order of the random id (PostgreSQL: services/ballot_box.py).
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="online")

    selections: Mapped[list[BallotSelection]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan")


class BallotSelection(db.Model):
    """One project a ballot names. `points`: what a cumulative ballot gave it (NULL for approval
    and knapsack ballots). Online ballots record only points > 0; a ballot imported from a
    Pabulib file keeps the file's 0-point entries (services/importing.py says why)."""

    __tablename__ = "ballot_selections"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),
                      {"sqlite_with_rowid": False})

    ballot_id: Mapped[str] = mapped_column(ForeignKey("ballots.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True,
                                             index=True)
    points: Mapped[int | None]

    ballot: Mapped[Ballot] = relationship(back_populates="selections")


class InboxBallot(db.Model):
    """An online ballot waiting to be mixed into the box (services/ballot_box.py): written in
    the transaction of its participation, removed by the mix. `selections`: [[project id,
    points or None], ...]. `queued_at` only tells the mix how long it has waited. A kiosk's
    ballot waits here too (`channel` "kiosk"), written with the use of its unlock."""

    __tablename__ = "ballot_inbox"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    selections: Mapped[list] = mapped_column(JSON)
    queued_at: Mapped[datetime]
    # The database fills it in (server_default): voting's plain INSERTs leave it out.
    channel: Mapped[str] = mapped_column(String(16), server_default="online")
