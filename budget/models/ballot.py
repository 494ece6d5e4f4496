"""The voter list and the ballot box, kept apart.

`Participation` records who has voted (one row per voter and cycle, enforced by a UNIQUE
constraint). `Ballot` records what was voted: the commune, the selections and a hash of the
receipt code, with a random id, no voter id and no time finer than the day, so that nothing
links a ballot back to its participation row. Both are written in one transaction.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    cast_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(16), default="online")

    selections: Mapped[list[BallotSelection]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan")


class BallotSelection(db.Model):
    __tablename__ = "ballot_selections"

    ballot_id: Mapped[str] = mapped_column(ForeignKey("ballots.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True,
                                             index=True)

    ballot: Mapped[Ballot] = relationship(back_populates="selections")
