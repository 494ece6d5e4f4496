"""Residents following a proposal (on their account, never on a ballot), and the news of the
proposals followed, waiting for the daily digest (services/follow_digest.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.proposal import Proposal
from budget.models.time import utcnow
from budget.models.user import User

NEWS_KINDS = ("status", "stage", "comment")


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    # Also the new comments, in the digest (the changes of status and stage always are).
    with_comments: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The news up to this moment has been sent (or came before the follow).
    notified_until: Mapped[datetime] = mapped_column(default=utcnow)
    # When the last digest went out (at most one a day for each follower).
    digest_sent_at: Mapped[datetime | None]
    # Made for a resident who opted in to delivery news (User.notify_delivery: on the account,
    # never on a ballot), for a winner of their envelopes; dropped when they opt out. A follow
    # they ask for themselves is not.
    by_delivery_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship()
    proposal: Mapped[Proposal] = relationship()


class FollowNews(db.Model):
    """Something that happened to a proposal: a new status or stage (its value in `detail`),
    or a comment (whose author is not told of their own)."""

    __tablename__ = "follow_news"
    __table_args__ = (
        CheckConstraint("kind IN ('status', 'stage', 'comment')", name="known_kind"),
        Index("ix_follow_news_proposal_created", "proposal_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(32), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship()
