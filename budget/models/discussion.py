"""Comments under proposals, reports of abuse, accounts blocked from commenting, and each
cycle's charter of participation with who accepted it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.proposal import Proposal
from budget.models.territory import Commune
from budget.models.time import utcnow
from budget.models.user import User


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id != id", name="not_its_own_reply"),
        CheckConstraint("(hidden_at IS NULL) = (hidden_reason IS NULL)",
                        name="hidden_with_reason"),
        Index("ix_comments_proposal_created", "proposal_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The comment this one answers (one level: never a reply itself).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(Text)  # plain text, as typed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Set by a moderator: the text is no longer shown, the reason is, in its place.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(db.Model):
    """Someone signed in says a comment or a proposal breaks the charter; staff decide."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("(resolved_at IS NULL) = (outcome IS NULL)", name="resolved_outcome"),
        CheckConstraint("outcome IS NULL OR outcome IN ('hidden', 'dismissed')",
                        name="known_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Always the proposal concerned; with comment_id, one of its comments.
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    # Or, with evaluation_answer_id, a resident's answer about the delivered project (its
    # comment): models/evaluation.py, services/evaluation_moderation.py.
    evaluation_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluation_answers.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    proposal: Mapped[Proposal] = relationship()
    comment: Mapped[Comment | None] = relationship()
    evaluation_answer: Mapped["EvaluationAnswer | None"] = relationship()  # noqa: F821


class CommentBlock(db.Model):
    """An account that may no longer comment in a territory: a commune (commune_id) or a
    whole intercommunalité (commune_id NULL)."""

    __tablename__ = "comment_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    intercommunality_id: Mapped[int] = mapped_column(ForeignKey("intercommunalities.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    commune: Mapped[Commune | None] = relationship()


class Charter(db.Model):
    """A cycle's charter of participation, as staff wrote it (none: the platform's own)."""

    __tablename__ = "charters"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CharterAcceptance(db.Model):
    """Someone accepted a cycle's charter before their first comment in it."""

    __tablename__ = "charter_acceptances"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), primary_key=True)
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
