from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db
from budget.models.time import utcnow


class ProposalImage(db.Model):
    """A photo of a proposal, re-encoded by services/images.py: its files are
    UPLOAD_FOLDER/<token>.jpg and <token>-thumb.jpg."""

    __tablename__ = "proposal_images"
    __table_args__ = (CheckConstraint("width > 0 AND height > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"),
                                             index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    alt_text: Mapped[str] = mapped_column(String(200))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
