from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db
from budget.models.time import utcnow


class ProposalSupport(db.Model):
    """A resident's support for a proposal during the supports phase: one per resident and
    proposal (a database constraint, so two concurrent clicks store one). Withdrawing it
    deletes the row; nobody but the supporter sees who supported what."""

    __tablename__ = "proposal_supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id",
                                       name="uq_proposal_supports_proposal_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
