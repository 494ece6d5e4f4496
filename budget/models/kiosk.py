"""Voting at a town-hall kiosk: polling stations, the devices staff turn into kiosks, and the
one-time unlocks the station's desk issues to identified voters.

Neither a kiosk nor an unlock names a voter: the desk marks the voter's census entry or
access code as used in person (`paper_voted_at`, services/kiosk_desk.py) and hands out an
unlock that only says which station issued it. The ballot cast with it goes to the inbox like
an online ballot (channel "kiosk") and is mixed into the box from there.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.cycle import BudgetCycle
from budget.models.territory import Commune
from budget.models.time import utcnow


class PollingStation(db.Model):
    """A place where a commune's residents vote in person during one cycle."""

    __tablename__ = "polling_stations"
    __table_args__ = (UniqueConstraint("cycle_id", "commune_id", "name",
                                       name="uq_polling_stations_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cycle: Mapped[BudgetCycle] = relationship()
    commune: Mapped[Commune] = relationship()
    kiosks: Mapped[list[Kiosk]] = relationship(back_populates="station", order_by="Kiosk.id")


class Kiosk(db.Model):
    """A device turned into a kiosk of a station. Its cookie holds a signed random token; only
    the token's hash is kept here. Revoked: the next request from the device is refused."""

    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("polling_stations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]

    station: Mapped[PollingStation] = relationship(back_populates="kiosks")


class KioskUnlock(db.Model):
    """One ballot's unlock, issued by a station's desk to an identified voter: its short code
    is stored only as a keyed hash. A kiosk holds it while the voter fills in the ballot
    (`held_until`, pushed back at each step: idle, it lapses and the unlock may be used again);
    `used_at` is set in the transaction that writes the ballot, so it serves once."""

    __tablename__ = "kiosk_unlocks"
    __table_args__ = (CheckConstraint("used_at IS NULL OR kiosk_id IS NOT NULL",
                                      name="used_on_a_kiosk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("polling_stations.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    held_until: Mapped[datetime | None]
    used_at: Mapped[datetime | None]

    station: Mapped[PollingStation] = relationship()
