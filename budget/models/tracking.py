"""The delivery of winning projects: one tracking record per winner of a published run, its
successive states (the public history), its milestones and their photos."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, Enum, ForeignKey, ForeignKeyConstraint, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.domain.delivery import Stage
from budget.extensions import db
from budget.models.cycle import BudgetCycle, Envelope
from budget.models.proposal import Proposal
from budget.models.territory import Commune
from budget.models.time import utcnow



def _stage_type() -> Enum:
    """One per column: a schema type (with its CHECK) belongs to one table."""
    return Enum(Stage, name="delivery_stage", native_enum=False, length=16,
                create_constraint=True,
                values_callable=lambda stages: [stage.value for stage in stages])


# The same rules in both tables: the current state and every state it went through.
_STATE_CHECKS = (
    ("progress BETWEEN 0 AND 100", "progress_percentage"),
    ("committed_eur >= 0 AND spent_eur >= 0", "money_not_negative"),
    ("spent_eur <= committed_eur", "spent_within_committed"),
    ("stage != 'abandoned' OR abandon_reason IS NOT NULL", "abandoned_has_reason"),
    ("stage != 'delivered' OR delivered_on IS NOT NULL", "delivered_has_date"),
    # A merged project names the project it went into, and only a merged one does.
    ("stage != 'merged' OR merged_into_id IS NOT NULL", "merged_names_target"),
    ("stage = 'merged' OR merged_into_id IS NULL", "only_merged_has_target"),
)


class ProjectTracking(db.Model):
    """A winning project on its way to delivery: made when its run is published
    (services/tracking.py), updated by the staff of the body that delivers it."""

    __tablename__ = "project_trackings"
    __table_args__ = (
        *(CheckConstraint(sql, name=name) for sql, name in _STATE_CHECKS),
        CheckConstraint("amount_voted_eur > 0", name="amount_voted_positive"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id",
                        name="not_merged_into_itself"),
        # The target of a merge is a record of the same cycle: (cycle_id, merged_into_id)
        # names a record's (cycle_id, id); not checked while merged_into_id is NULL.
        UniqueConstraint("cycle_id", "id"),
        ForeignKeyConstraint(["cycle_id", "merged_into_id"],
                             ["project_trackings.cycle_id", "project_trackings.id"],
                             name="fk_project_trackings_merged_into_same_cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    tally_run_id: Mapped[int] = mapped_column(ForeignKey("tally_runs.id"))
    envelope_id: Mapped[int] = mapped_column(ForeignKey("envelopes.id"))
    # The envelope's commune; None: the intercommunal envelope.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    amount_voted_eur: Mapped[int]
    # Who delivers it: this commune, or (None) the intercommunalité. Its staff update it.
    delivering_commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    service: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[Stage] = mapped_column(_stage_type(), default=Stage.STUDIES, index=True)
    progress: Mapped[int] = mapped_column(default=0)
    committed_eur: Mapped[int] = mapped_column(default=0)
    spent_eur: Mapped[int] = mapped_column(default=0)
    planned_delivery: Mapped[date | None]
    delivered_on: Mapped[date | None]
    abandon_reason: Mapped[str | None] = mapped_column(Text)
    # Stage.MERGED: the record of the project it is merged into (same cycle, not itself).
    merged_into_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cycle: Mapped[BudgetCycle] = relationship()
    proposal: Mapped[Proposal] = relationship()
    envelope: Mapped[Envelope] = relationship()
    commune: Mapped[Commune | None] = relationship(foreign_keys=[commune_id])
    delivering_commune: Mapped[Commune | None] = relationship(
        foreign_keys=[delivering_commune_id])
    merged_into: Mapped[ProjectTracking | None] = relationship(
        primaryjoin="ProjectTracking.merged_into_id == remote(ProjectTracking.id)",
        foreign_keys=[merged_into_id], viewonly=True)
    states: Mapped[list[TrackingState]] = relationship(
        order_by="TrackingState.id", cascade="all, delete-orphan",
        foreign_keys="TrackingState.tracking_id")
    milestones: Mapped[list[TrackingMilestone]] = relationship(
        order_by="[TrackingMilestone.happened_on, TrackingMilestone.id]",
        cascade="all, delete-orphan", back_populates="tracking")


class TrackingState(db.Model):
    """What a tracking record said after each change, kept for its public history (the
    planned dates announced one after the other, the stages and their dates)."""

    __tablename__ = "tracking_states"
    __table_args__ = tuple(CheckConstraint(sql, name=name) for sql, name in _STATE_CHECKS)

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_id: Mapped[int] = mapped_column(
        ForeignKey("project_trackings.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage: Mapped[Stage] = mapped_column(_stage_type())
    progress: Mapped[int]
    committed_eur: Mapped[int]
    spent_eur: Mapped[int]
    planned_delivery: Mapped[date | None]
    delivered_on: Mapped[date | None]
    abandon_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("project_trackings.id"))


class TrackingMilestone(db.Model):
    """A dated step of the delivery, told in a short sentence, with optional photos."""

    __tablename__ = "tracking_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_id: Mapped[int] = mapped_column(
        ForeignKey("project_trackings.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date]
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tracking: Mapped[ProjectTracking] = relationship(back_populates="milestones")
    photos: Mapped[list[TrackingPhoto]] = relationship(
        order_by="TrackingPhoto.id", cascade="all, delete-orphan")


class TrackingPhoto(db.Model):
    """A milestone's photo, re-encoded as a proposal's is (services/images.py): its files
    are UPLOAD_FOLDER/<token>.jpg and <token>-thumb.jpg."""

    __tablename__ = "tracking_photos"
    __table_args__ = (CheckConstraint("width > 0 AND height > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("tracking_milestones.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    alt_text: Mapped[str] = mapped_column(String(200))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
