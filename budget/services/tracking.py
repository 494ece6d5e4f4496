"""Following each winning project to its delivery: the tracking records a publication makes,
and what the staff of the body that delivers a project change in its record.

Every change keeps the record's new state (TrackingState: the public history, the planned
dates announced one after the other) and goes to the audit log, in the change's transaction.
A change of stage is news for the project's followers (services/follows.py), sent grouped in
their daily digest: those who follow it themselves, and the residents who opted in to delivery
news, who follow the winners of their envelopes from the publication on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from budget.domain.delivery import Stage, TrackingUpdate, check_milestone, check_update
from budget.domain.errors import DomainError, InvalidSetup
from budget.domain.phases import N_
from budget.extensions import db
from budget.models import (BudgetCycle, Envelope, ProjectTracking, TallyRun, TrackingMilestone,
                           TrackingPhoto, TrackingState)
from budget.models.time import to_local, utcnow
from budget.services import audit, follows, images, policy, stored_result
from budget.services.policy import Action
from budget.services.transaction import unit_of_work

STATE_FIELDS = ("stage", "progress", "committed_eur", "spent_eur", "planned_delivery",
                "delivered_on", "abandon_reason", "merged_into_id")


def today() -> date:
    """Today in Paris, where the projects are built."""
    return to_local(utcnow()).date()


def create_for_run(actor, cycle: BudgetCycle, run: TallyRun) -> list[ProjectTracking]:
    """One tracking record per winner of `run`, which is being published: call it inside the
    publication's unit of work (services/tally.py), so both are committed together. A winner
    that already has one (a cycle published again) keeps it."""
    envelopes = {e.id: e for e in db.session.scalars(
        db.select(Envelope).where(Envelope.cycle_id == cycle.id))}
    existing = set(db.session.scalars(db.select(ProjectTracking.proposal_id)
                                      .where(ProjectTracking.cycle_id == cycle.id)))
    made = []
    for envelope_result, project in stored_result.read(run.result).winners:
        if project.id in existing:
            continue
        envelope = envelopes[envelope_result.id]
        tracking = ProjectTracking(
            cycle_id=cycle.id, proposal_id=project.id, tally_run_id=run.id,
            envelope_id=envelope.id, commune_id=envelope.commune_id,
            amount_voted_eur=project.cost, delivering_commune_id=envelope.commune_id,
            service="", stage=Stage.STUDIES, progress=0, committed_eur=0, spent_eur=0)
        tracking.states.append(_state_of(tracking))
        db.session.add(tracking)
        made.append(tracking)
    if made:
        db.session.flush()
        follows.follow_published_winners(cycle, made)
        audit.record(actor, "tracking.create", run, cycle=cycle, after={"projects": [
            {"proposal_id": t.proposal_id, "amount_voted_eur": t.amount_voted_eur}
            for t in made]})
    return made


def _state_of(tracking: ProjectTracking) -> TrackingState:
    return TrackingState(**{name: getattr(tracking, name) for name in STATE_FIELDS})


def state(tracking: ProjectTracking) -> dict:
    """What the audit log keeps of a record."""
    return {**{name: getattr(tracking, name) for name in STATE_FIELDS},
            "service": tracking.service, "delivering_commune_id": tracking.delivering_commune_id}


def update(user, tracking: ProjectTracking, changes: TrackingUpdate) -> bool:
    """Apply staff's update of a project's delivery; whether anything changed. A change of
    stage is news for the project's followers' digest. Raises NotAllowed, WrongPhase,
    InvalidSetup (every broken rule, with its form field)."""
    with unit_of_work():
        policy.check(user, Action.UPDATE_TRACKING, tracking.cycle, tracking)
        check_update(changes, today())
        if changes.delivered_by_commune and tracking.commune_id is None:
            raise InvalidSetup([DomainError("An intercommunal project is delivered by the "
                                            "intercommunalité.", field="delivered_by")])
        target = _merge_target(tracking, changes)
        before, old_stage = state(tracking), tracking.stage
        tracking.stage = changes.stage
        tracking.progress = changes.progress
        tracking.committed_eur, tracking.spent_eur = changes.committed, changes.spent
        tracking.planned_delivery = changes.planned_delivery
        tracking.delivered_on = (changes.delivered_on if changes.stage == Stage.DELIVERED
                                 else None)
        tracking.abandon_reason = (changes.abandon_reason.strip()
                                   if changes.stage == Stage.ABANDONED else None)
        tracking.merged_into_id = target.id if target is not None else None
        tracking.service = changes.service.strip()[:200]
        tracking.delivering_commune_id = (tracking.commune_id if changes.delivered_by_commune
                                          else None)
        after = state(tracking)
        if after == before:
            return False
        if any(before[name] != after[name] for name in STATE_FIELDS):
            tracking.states.append(_state_of(tracking))
        merged = tracking.stage == Stage.MERGED and old_stage != Stage.MERGED
        audit.record(user, "tracking.merge" if merged else "tracking.update", tracking,
                     before=before, after=after)
        if tracking.stage != old_stage:
            follows.record(tracking.proposal, "stage",
                           getattr(tracking.stage, "value", tracking.stage), user)
    return True


def _merge_target(tracking: ProjectTracking,
                  changes: TrackingUpdate) -> ProjectTracking | None:
    """The record `tracking` is merged into (None unless the stage is Stage.MERGED): another
    winner of the same cycle, not merged itself; a project others were merged into cannot be
    merged in turn (the public page would send readers along a chain). Raises InvalidSetup."""
    if changes.stage != Stage.MERGED:
        return None
    target = db.session.get(ProjectTracking, changes.merged_into or 0)
    if target is None or target.cycle_id != tracking.cycle_id or target.id == tracking.id:
        problem = N_("Choose another winning project of the same cycle.")
    elif target.stage == Stage.MERGED:
        problem = N_("That project is itself merged into another: choose the one it went into.")
    elif db.session.scalar(db.select(ProjectTracking.id).where(
            ProjectTracking.merged_into_id == tracking.id).limit(1)) is not None:
        problem = N_("Other projects are merged into this one: it cannot be merged in turn.")
    else:
        return target
    raise InvalidSetup([DomainError(problem, field="merged_into")])


@dataclass(frozen=True)
class MilestonePhoto:
    data: bytes
    alt_text: str


def add_milestone(user, tracking: ProjectTracking, text: str, happened_on: date | None,
                  photos: list[MilestonePhoto] = ()) -> TrackingMilestone:
    """Add a dated milestone, with its photos checked and re-encoded as a proposal's are.
    Raises NotAllowed, WrongPhase, InvalidSetup, DomainError (a photo: field "photo")."""
    policy.check(user, Action.UPDATE_TRACKING, tracking.cycle, tracking)
    check_milestone(text, happened_on)
    limit = current_app.config["IMAGES_PER_PROPOSAL"]
    if len(photos) > limit:
        raise DomainError("A milestone can have at most %(count)d photos.", field="photo",
                          count=limit)
    prepared = [images.prepare(photo.data, photo.alt_text) for photo in photos]
    with images.removed_unless_committed() as written, unit_of_work():
        milestone = TrackingMilestone(happened_on=happened_on, text=text.strip())
        for one in prepared:
            photo = TrackingPhoto(**images.new_image_fields(one))
            written += images.write_files(photo, one)
            milestone.photos.append(photo)
        tracking.milestones.append(milestone)
        db.session.flush()
        audit.record(user, "tracking.milestone", tracking, after={
            "milestone_id": milestone.id, "happened_on": happened_on, "text": milestone.text,
            "photos": len(milestone.photos)})
    return milestone


def remove_milestone(user, milestone: TrackingMilestone) -> None:
    """Remove a milestone typed by mistake, with its photos' files."""
    with unit_of_work():
        tracking = db.session.get(ProjectTracking, milestone.tracking_id)
        policy.check(user, Action.UPDATE_TRACKING, tracking.cycle, tracking)
        paths = [path for photo in milestone.photos
                 for path in (images.image_path(photo), images.image_path(photo, True))]
        audit.record(user, "tracking.milestone_remove", tracking, before={
            "milestone_id": milestone.id, "happened_on": milestone.happened_on,
            "text": milestone.text})
        db.session.delete(milestone)
    for path in paths:
        path.unlink(missing_ok=True)
