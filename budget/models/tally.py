from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.cycle import BudgetCycle
from budget.models.time import utcnow


class TallyRun(db.Model):
    """A stored tally: what every results page and export is made from.

    `result` is the engine's output per envelope, as plain JSON; `fingerprint` is a SHA-256 of
    the canonical inputs, the rule and the engine version, so anyone can re-run it.
    """

    __tablename__ = "tally_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]

    cycle: Mapped[BudgetCycle] = relationship(back_populates="tally_runs")
