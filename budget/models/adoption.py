from __future__ import annotations

import re

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.territory import Commune
from budget.models.time import utcnow


class CouncilAdoption(db.Model):
    """A council's decision on a published tally run (domain/adoption.py): kept as recorded,
    never edited (a later session is a new row), shown on the results page and in the exports.

    The deliberation's PDF, when sent, is stored under UPLOAD_FOLDER as
    `deliberation-<pdf_token>.pdf` (services/adoption.py), as proposal photos are.
    """

    __tablename__ = "council_adoptions"
    __table_args__ = (
        CheckConstraint("body IN ('community', 'municipal')", name="body_known"),
        CheckConstraint("outcome IN ('adopted', 'adopted_amended', 'rejected', 'adjourned')",
                        name="outcome_known"),
        # A conseil municipal is one commune's; the conseil communautaire is nobody's commune.
        CheckConstraint("(body = 'municipal') = (commune_id IS NOT NULL)",
                        name="commune_of_municipal_body"),
        CheckConstraint("length(deliberation_number) > 0", name="deliberation_number_given"),
        CheckConstraint("(pdf_token IS NULL) = (pdf_bytes IS NULL)", name="pdf_token_and_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tally_run_id: Mapped[int] = mapped_column(ForeignKey("tally_runs.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    body: Mapped[str] = mapped_column(String(16))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    session_date: Mapped[date]
    deliberation_number: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(16))
    pdf_token: Mapped[str | None] = mapped_column(String(32), unique=True)
    pdf_bytes: Mapped[int | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    commune: Mapped[Commune | None] = relationship()

    @property
    def deliberation_number_slug(self) -> str:
        """The number in ASCII letters, digits and dashes, for a file name."""
        return re.sub(r"[^0-9A-Za-z]+", "-", self.deliberation_number).strip("-") or "sans-numero"
