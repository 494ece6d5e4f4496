"""Paper ballots, entered twice by two staff members before they join the ballot box.

A `PaperBatch` is a pile of paper ballots from one commune (a polling station, a date) with
the number of ballots counted by hand. Two `PaperEntry` rows (number 1 and 2) are the two
independent typings of that pile, each by a different person; `PaperEntryBallot` is one
ballot of one typing. Once both typings agree, the batch is validated: its valid ballots are
written as `Ballot` rows (channel "paper", random ids, no link to the batch nor to who typed
them), and its blank and spoiled ballots are only counted on the batch.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.territory import Commune
from budget.models.time import utcnow

# What a paper ballot turned out to be. Blank (blanc) and spoiled (nul) ballots are counted
# apart and never tallied.
VALID, BLANK, SPOILED = "valid", "blank", "spoiled"
BALLOT_KINDS = (VALID, BLANK, SPOILED)
MAX_BATCH_BALLOTS = 5000


class PaperBatch(db.Model):
    __tablename__ = "paper_batches"
    __table_args__ = (
        CheckConstraint(f"declared_count BETWEEN 1 AND {MAX_BATCH_BALLOTS}",
                        name="declared_count_in_range"),
        CheckConstraint("(validated_at IS NULL) = (blank_count IS NULL)",
                        name="counts_when_validated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    label: Mapped[str] = mapped_column(String(200))  # polling station and date
    declared_count: Mapped[int]  # ballots counted by hand in the pile
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    validated_at: Mapped[datetime | None]
    # Set on validation: how many of the declared ballots were blank or spoiled.
    blank_count: Mapped[int | None]
    spoiled_count: Mapped[int | None]

    commune: Mapped[Commune] = relationship()
    entries: Mapped[list[PaperEntry]] = relationship(back_populates="batch",
                                                     order_by="PaperEntry.number")

    def entry(self, number: int) -> PaperEntry | None:
        return next((e for e in self.entries if e.number == number), None)


class PaperEntry(db.Model):
    """One of the two typings of a batch (number 1 or 2), by one person."""

    __tablename__ = "paper_entries"
    __table_args__ = (
        UniqueConstraint("batch_id", "number", name="uq_paper_entries_batch_number"),
        UniqueConstraint("batch_id", "entered_by_id", name="uq_paper_entries_batch_person"),
        CheckConstraint("number IN (1, 2)", name="number_one_or_two"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("paper_batches.id"), index=True)
    number: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)

    batch: Mapped[PaperBatch] = relationship(back_populates="entries")
    ballots: Mapped[list[PaperEntryBallot]] = relationship(
        back_populates="entry", order_by="PaperEntryBallot.position",
        cascade="all, delete-orphan")


class PaperEntryBallot(db.Model):
    """Ballot number `position` of a typing. `choices`: [[project id, points or null], ...]
    sorted by project id, empty unless the ballot is valid."""

    __tablename__ = "paper_entry_ballots"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("kind IN ('valid', 'blank', 'spoiled')", name="kind_known"),
    )

    entry_id: Mapped[int] = mapped_column(ForeignKey("paper_entries.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(8))
    choices: Mapped[list] = mapped_column(JSON, default=list)

    entry: Mapped[PaperEntry] = relationship(back_populates="ballots")
