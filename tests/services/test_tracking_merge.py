"""A winning project merged into another of the same cycle (Stage.MERGED): the service names
its target and refuses a bad one, the database refuses a merged record without a target, one
merged into itself or into another cycle's project; both stay visible, each naming the other."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from budget.domain.delivery import Stage, TrackingUpdate
from budget.domain.errors import InvalidSetup
from budget.extensions import db
from budget.models import AuditEntry, ProjectTracking
from budget.services import tracking, tracking_read
from tests import factories
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def pub(session):
    return published_cycle(factories.world())


def record_of(proposal) -> ProjectTracking:
    return tracking_read.of_proposal(proposal)


def merge(into: ProjectTracking | None, **overrides) -> TrackingUpdate:
    values = dict(stage=Stage.MERGED, progress=0, committed=0, spent=0, planned_delivery=None,
                  delivered_on=None, abandon_reason="", service="", delivered_by_commune=True,
                  merged_into=into.id if into is not None else None)
    values.update(overrides)
    return TrackingUpdate(**values)


def test_commune_staff_merge_their_project_into_another_and_both_name_each_other(pub):
    jardin, piste = record_of(pub.jardin), record_of(pub.piste)
    assert tracking.update(pub.w.users["northclerk"], jardin, merge(piste))
    db.session.expire_all()
    jardin, piste = record_of(pub.jardin), record_of(pub.piste)
    assert jardin.stage == Stage.MERGED and jardin.merged_into.proposal_id == pub.piste.id
    assert tracking_read.story(piste).merged == [jardin]
    assert tracking_read.story(jardin).merged == []
    assert jardin.states[-1].merged_into_id == piste.id, "the history keeps the merge"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tracking.merge"))
    assert entry.before["merged_into_id"] is None
    assert entry.after["merged_into_id"] == piste.id and entry.after["stage"] == "merged"


def test_leaving_the_merged_stage_forgets_the_target(pub):
    clerk = pub.w.users["northclerk"]
    jardin, piste = record_of(pub.jardin), record_of(pub.piste)
    tracking.update(clerk, jardin, merge(piste))
    tracking.update(clerk, jardin, merge(None, stage=Stage.WORKS, merged_into=piste.id))
    db.session.expire_all()
    jardin = record_of(pub.jardin)
    assert (jardin.stage, jardin.merged_into_id) == (Stage.WORKS, None)
    assert tracking_read.merged_into(record_of(pub.piste)) == []


@pytest.mark.parametrize("target", ["none", "itself", "merged", "other_cycle"])
def test_a_merge_without_a_proper_target_is_refused_and_writes_nothing(pub, target):
    clerk = pub.w.users["northclerk"]
    jardin, preau = record_of(pub.jardin), record_of(pub.preau)
    if target == "merged":
        tracking.update(pub.w.users["southclerk"], preau, merge(record_of(pub.piste)))
        into = preau
    elif target == "other_cycle":
        other = published_cycle(pub.w, commune_voters=0)
        into = record_of(other.piste)
    else:
        into = {"none": None, "itself": jardin}[target]
    with pytest.raises(InvalidSetup) as refused:
        tracking.update(clerk, jardin, merge(into))
    assert [p.field for p in refused.value.problems] == ["merged_into"]
    db.session.expire_all()
    assert (record_of(pub.jardin).stage, record_of(pub.jardin).merged_into_id) == (
        Stage.STUDIES, None)


def test_a_project_others_went_into_cannot_be_merged_in_turn(pub):
    tracking.update(pub.w.users["northclerk"], record_of(pub.jardin),
                    merge(record_of(pub.piste)))
    with pytest.raises(InvalidSetup):
        tracking.update(pub.w.users["staff"], record_of(pub.piste),
                        merge(record_of(pub.preau), delivered_by_commune=False))
    db.session.expire_all()
    assert record_of(pub.piste).stage == Stage.STUDIES


def _write_refused(values: dict) -> None:
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(update(ProjectTracking).where(
            ProjectTracking.id == values.pop("id")).values(**values))


def test_the_database_refuses_a_merge_without_a_target_into_itself_or_another_cycle(pub):
    jardin, piste = record_of(pub.jardin), record_of(pub.piste)
    other = record_of(published_cycle(pub.w, commune_voters=0).piste)
    _write_refused({"id": jardin.id, "stage": "merged"})
    _write_refused({"id": jardin.id, "stage": "merged", "merged_into_id": jardin.id})
    _write_refused({"id": jardin.id, "stage": "merged", "merged_into_id": other.id})
    _write_refused({"id": jardin.id, "stage": "works", "merged_into_id": piste.id})
    _write_refused({"id": jardin.id, "stage": "merged", "merged_into_id": 999_999})
    db.session.execute(update(ProjectTracking).where(ProjectTracking.id == jardin.id)
                       .values(stage="merged", merged_into_id=piste.id))
    db.session.flush()
    db.session.expire_all()
    assert record_of(pub.jardin).merged_into_id == piste.id
