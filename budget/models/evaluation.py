"""The evaluation of a delivered project: residents' answers (one per account and project, a
database constraint; never linked to a ballot) and the evaluation text its staff publish."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.domain.evaluation import Usage
from budget.extensions import db
from budget.models.time import utcnow
from budget.models.tracking import ProjectTracking
from budget.models.user import User


class EvaluationAnswer(db.Model):
    """A resident's answer about a delivered project: do they use it, how useful it is (1 to
    5), and an optional comment that moderators may hide with a reason, as a comment's."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        UniqueConstraint("tracking_id", "user_id",
                         name="uq_evaluation_answers_tracking_id_user_id"),
        CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_scale"),
        CheckConstraint("(hidden_at IS NULL) = (hidden_reason IS NULL)",
                        name="hidden_with_reason"),
        CheckConstraint("hidden_at IS NULL OR comment IS NOT NULL", name="hides_a_comment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_id: Mapped[int] = mapped_column(
        ForeignKey("project_trackings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    usage: Mapped[Usage] = mapped_column(Enum(
        Usage, name="evaluation_usage", native_enum=False, length=16, create_constraint=True,
        values_callable=lambda values: [v.value for v in values]))
    usefulness: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)  # plain text, as typed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tracking: Mapped[ProjectTracking] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ProjectEvaluation(db.Model):
    """The short evaluation text the staff of a delivered project publish (one per project;
    publishing again replaces it)."""

    __tablename__ = "project_evaluations"

    tracking_id: Mapped[int] = mapped_column(
        ForeignKey("project_trackings.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    tracking: Mapped[ProjectTracking] = relationship()
