"""Reading the delivery of winning projects: the public "Suivi des projets" page, the summary
per commune, a project's history, and the API."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from budget.domain.delivery import IN_PROGRESS, Stage, planned_dates
from budget.extensions import db
from budget.models import (AuditEntry, BudgetCycle, EvaluationAnswer, Proposal,
                           ProjectTracking, Theme, TrackingMilestone, TrackingPhoto)
from budget.models.time import to_local


def of_cycle(cycle: BudgetCycle, commune_id: int | None = None,
             stage: Stage | None = None, intercommunal: bool = False,
             theme_id: int | None = None) -> list[ProjectTracking]:
    """The cycle's tracking records, by envelope then title; `commune_id` keeps one commune's
    projects, `intercommunal` the intercommunal envelope's, `stage` those at that stage,
    `theme_id` those of that theme."""
    query = (select(ProjectTracking).join(Proposal, ProjectTracking.proposal_id == Proposal.id)
             .where(ProjectTracking.cycle_id == cycle.id)
             .options(selectinload(ProjectTracking.proposal).selectinload(Proposal.images),
                      selectinload(ProjectTracking.milestones)
                      .selectinload(TrackingMilestone.photos),
                      selectinload(ProjectTracking.states))
             .order_by(ProjectTracking.envelope_id, Proposal.title, ProjectTracking.id))
    if intercommunal:
        query = query.where(ProjectTracking.commune_id.is_(None))
    elif commune_id is not None:
        query = query.where(ProjectTracking.commune_id == commune_id)
    if stage is not None:
        query = query.where(ProjectTracking.stage == stage)
    if theme_id is not None:
        query = query.where(Proposal.themes.any(Theme.id == theme_id))
    return list(db.session.scalars(query))


def revision(cycle: BudgetCycle) -> str:
    """A name for the state of the cycle's tracking, for the files built once per state
    (exports/stored.py): every change of a record is in the audit log, which only grows, so
    the last such entry's number says it; "" before any."""
    last = db.session.scalar(select(func.max(AuditEntry.seq)).where(
        AuditEntry.cycle_id == cycle.id, AuditEntry.action.like("tracking.%")))
    # Residents' evaluation answers are not in the log: the newest one's number says them.
    answered = db.session.scalar(select(func.max(EvaluationAnswer.id)).join(
        ProjectTracking, EvaluationAnswer.tracking_id == ProjectTracking.id).where(
        ProjectTracking.cycle_id == cycle.id))
    return (f"-tracking-{last}" if last else "") + (f"-answers-{answered}" if answered else "")


def of_proposal(proposal: Proposal) -> ProjectTracking | None:
    return db.session.scalar(select(ProjectTracking)
                             .where(ProjectTracking.proposal_id == proposal.id))


def merged_into(record: ProjectTracking) -> list[ProjectTracking]:
    """The records merged into `record` (its project went on as part of this one), by
    title."""
    return list(db.session.scalars(
        select(ProjectTracking).join(Proposal, ProjectTracking.proposal_id == Proposal.id)
        .where(ProjectTracking.merged_into_id == record.id).order_by(Proposal.title)))


def next_milestone(tracking: ProjectTracking, today: date) -> TrackingMilestone | None:
    """The first milestone from today on; None when every one is past."""
    return next((m for m in tracking.milestones if m.happened_on >= today), None)


def last_milestone(tracking: ProjectTracking, today: date) -> TrackingMilestone | None:
    past = [m for m in tracking.milestones if m.happened_on < today]
    return past[-1] if past else None


def cover_photo(tracking: ProjectTracking):
    """The photo that shows the project: the latest milestone's, else the proposal's first
    (either has a token; tell them apart with isinstance(..., TrackingPhoto)); or None."""
    for milestone in reversed(tracking.milestones):
        if milestone.photos:
            return milestone.photos[-1]
    images = tracking.proposal.images
    return images[0] if images else None


def announced_dates(tracking: ProjectTracking) -> list[date]:
    """The planned delivery dates announced, first to current (see planned_dates)."""
    return planned_dates([s.planned_delivery for s in tracking.states])


@dataclass(frozen=True)
class Event:
    """One line of a project's public history. kind: 'created', 'stage', 'planned' (a new
    planned date; `previous` the one it replaces) or 'milestone'."""

    when: date
    kind: str
    stage: Stage | None = None
    planned: date | None = None
    previous: date | None = None
    reason: str | None = None
    milestone: TrackingMilestone | None = None


def history(tracking: ProjectTracking) -> list[Event]:
    """The project's story since the vote, newest first: its stages, the planned dates
    announced, its milestones."""
    events: list[Event] = []
    previous = None
    for state in tracking.states:
        when = _day(state.recorded_at)
        if previous is None:
            events.append(Event(when, "created", stage=state.stage))
        elif state.stage != previous.stage:
            events.append(Event(when, "stage", stage=state.stage, reason=state.abandon_reason))
        if state.planned_delivery is not None and (
                previous is None or state.planned_delivery != previous.planned_delivery):
            was = previous.planned_delivery if previous is not None else None
            events.append(Event(when, "planned", planned=state.planned_delivery, previous=was))
        previous = state
    events += [Event(m.happened_on, "milestone", milestone=m) for m in tracking.milestones]
    # Newest first; on one day, the later change first.
    order = sorted(range(len(events)), key=lambda i: (events[i].when, i), reverse=True)
    return [events[i] for i in order]


@dataclass(frozen=True)
class Story:
    """A tracking record with its public history and the planned dates announced."""

    record: ProjectTracking
    events: list[Event]
    announced: list[date]
    merged: list[ProjectTracking]  # the records merged into this one


def story(record: ProjectTracking | None) -> Story | None:
    if record is None:
        return None
    return Story(record, history(record), announced_dates(record), merged_into(record))


def _day(instant: datetime) -> date:
    return to_local(instant).date()


@dataclass(frozen=True)
class DeliveryLine:
    """One row of the delivery summary: a commune, the intercommunal envelope (name None) or
    the total (is_total). Money in whole euros."""

    name: str | None
    projects: int
    delivered: int
    in_progress: int
    abandoned: int
    voted: int
    spent: int
    is_total: bool = False

    @property
    def spent_share(self) -> float:
        return self.spent / self.voted if self.voted else 0.0


def summary(trackings: list[ProjectTracking]) -> list[DeliveryLine]:
    """Per commune (by name), then the intercommunal envelope, then the total."""
    groups: dict[int | None, list[ProjectTracking]] = {}
    for tracking in trackings:
        groups.setdefault(tracking.commune_id, []).append(tracking)
    keys = sorted((k for k in groups if k is not None),
                  key=lambda k: groups[k][0].commune.name)
    lines = [_line(groups[k][0].commune.name, groups[k]) for k in keys]
    if None in groups:
        lines.append(_line(None, groups[None]))
    if trackings:
        lines.append(_line(None, trackings, is_total=True))
    return lines


def _line(name, trackings, is_total=False) -> DeliveryLine:
    return DeliveryLine(
        name=name, projects=len(trackings),
        delivered=sum(t.stage == Stage.DELIVERED for t in trackings),
        in_progress=sum(t.stage in IN_PROGRESS for t in trackings),
        abandoned=sum(t.stage == Stage.ABANDONED for t in trackings),
        voted=sum(t.amount_voted_eur for t in trackings),
        spent=sum(t.spent_eur for t in trackings), is_total=is_total)


def photo_by_token(token: str) -> TrackingPhoto | None:
    return db.session.scalar(select(TrackingPhoto).where(TrackingPhoto.token == token))


def milestone(milestone_id: int) -> TrackingMilestone | None:
    return db.session.get(TrackingMilestone, milestone_id)
