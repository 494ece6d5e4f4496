"""Tracking the delivery of winning projects (services/tracking.py, tracking_read.py): made by
the publication, updated by the staff of the body that delivers each project, every change
kept for the public history and in the audit log."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from budget.domain.delivery import Stage, TrackingUpdate
from budget.domain.errors import InvalidSetup, NotAllowed
from budget.extensions import db
from budget.models import AuditEntry, ProjectTracking, TrackingState
from budget.services import tracking, tracking_read
from tests import factories
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def pub(session):
    return published_cycle(factories.world())


def record_of(proposal) -> ProjectTracking:
    return tracking_read.of_proposal(proposal)


def changes(**overrides) -> TrackingUpdate:
    values = dict(stage=Stage.STUDIES, progress=0, committed=0, spent=0, planned_delivery=None,
                  delivered_on=None, abandon_reason="", service="", delivered_by_commune=True)
    values.update(overrides)
    return TrackingUpdate(**values)


def test_publishing_makes_one_tracking_record_per_winner(pub):
    records = tracking_read.of_cycle(pub.cycle)
    assert {r.proposal_id for r in records} == {pub.jardin.id, pub.preau.id, pub.piste.id}
    jardin = record_of(pub.jardin)
    assert (jardin.amount_voted_eur, jardin.commune_id, jardin.delivering_commune_id,
            jardin.stage, jardin.progress) == (6_000, pub.w.north.id, pub.w.north.id,
                                               Stage.STUDIES, 0)
    assert jardin.tally_run_id == pub.cycle.published_run.id
    piste = record_of(pub.piste)
    assert piste.commune_id is None and piste.delivering_commune_id is None
    assert record_of(pub.banc) is None, "a project that was not funded is not tracked"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tracking.create"))
    assert len(entry.after["projects"]) == 3


def test_commune_staff_update_their_communes_project_and_the_change_is_kept(pub):
    record = record_of(pub.jardin)
    planned = date.today() + timedelta(days=200)
    assert tracking.update(pub.w.users["northclerk"], record, changes(
        stage=Stage.WORKS, progress=40, committed=5_500, spent=2_000,
        planned_delivery=planned, service="Services techniques"))
    db.session.expire_all()
    record = record_of(pub.jardin)
    assert (record.stage, record.progress, record.committed_eur, record.spent_eur,
            record.planned_delivery, record.service) == (
        Stage.WORKS, 40, 5_500, 2_000, planned, "Services techniques")
    assert [s.stage for s in record.states] == [Stage.STUDIES, Stage.WORKS]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tracking.update")
                               ).one()
    assert entry.before["stage"] == "studies" and entry.after["stage"] == "works"
    assert entry.after["spent_eur"] == 2_000


def test_every_planned_date_announced_is_kept_in_order(pub):
    record, clerk = record_of(pub.jardin), pub.w.users["northclerk"]
    march, june = date(2027, 3, 1), date(2027, 6, 1)
    tracking.update(clerk, record, changes(planned_delivery=march))
    tracking.update(clerk, record, changes(planned_delivery=march, progress=10))
    tracking.update(clerk, record, changes(planned_delivery=june, progress=10))
    assert tracking_read.announced_dates(record) == [march, june]
    planned = [e for e in tracking_read.history(record) if e.kind == "planned"]
    assert [(e.planned, e.previous) for e in planned] == [(june, march), (march, None)]


def test_an_update_that_changes_nothing_records_nothing(pub):
    record = record_of(pub.jardin)
    assert not tracking.update(pub.w.users["northclerk"], record, changes())
    assert len(record.states) == 1
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "tracking.update")) is None


def test_staff_of_another_commune_cannot_update_it(pub):
    with pytest.raises(NotAllowed):
        tracking.update(pub.w.users["southclerk"], record_of(pub.jardin), changes(progress=5))
    with pytest.raises(NotAllowed):
        tracking.update(pub.w.users["northclerk"], record_of(pub.piste),
                        changes(progress=5, delivered_by_commune=False))
    tracking.update(pub.w.users["staff"], record_of(pub.piste),
                    changes(progress=5, delivered_by_commune=False))


def test_a_project_handed_to_the_intercommunality_leaves_the_communes_hands(pub):
    record = record_of(pub.jardin)
    tracking.update(pub.w.users["northclerk"], record, changes(delivered_by_commune=False))
    assert record.delivering_commune_id is None
    with pytest.raises(NotAllowed):
        tracking.update(pub.w.users["northclerk"], record, changes(progress=5))


def test_bad_updates_name_every_broken_rule_and_change_nothing(pub):
    record = record_of(pub.jardin)
    with pytest.raises(InvalidSetup) as raised:
        tracking.update(pub.w.users["northclerk"], record, changes(
            stage=Stage.ABANDONED, progress=120, committed=100, spent=500))
    fields = {problem.field for problem in raised.value.problems}
    assert fields == {"progress", "spent", "abandon_reason"}
    with pytest.raises(InvalidSetup) as raised:
        tracking.update(pub.w.users["northclerk"], record, changes(stage=Stage.DELIVERED,
                                                                   progress=90))
    assert {p.field for p in raised.value.problems} == {"delivered_on", "progress"}
    with pytest.raises(InvalidSetup):
        tracking.update(pub.w.users["staff"], record_of(pub.piste), changes())  # by a commune
    db.session.expire_all()
    assert record_of(pub.jardin).stage == Stage.STUDIES
    assert db.session.scalar(select(db.func.count()).select_from(TrackingState)) == 3


def test_abandoning_keeps_the_public_reason_and_delivering_the_date(pub):
    clerk = pub.w.users["northclerk"]
    record = record_of(pub.jardin)
    tracking.update(clerk, record, changes(stage=Stage.ABANDONED,
                                           abandon_reason="Le terrain est inondable."))
    assert record.abandon_reason == "Le terrain est inondable."
    stage_events = [e for e in tracking_read.history(record) if e.kind == "stage"]
    assert stage_events[0].reason == "Le terrain est inondable."
    yesterday = tracking.today() - timedelta(days=1)
    tracking.update(clerk, record, changes(stage=Stage.DELIVERED, progress=100,
                                           committed=6_000, spent=5_800,
                                           delivered_on=yesterday))
    assert (record.abandon_reason, record.delivered_on) == (None, yesterday)


def test_a_milestone_is_dated_audited_and_shown_next(pub):
    record = record_of(pub.jardin)
    soon = tracking.today() + timedelta(days=10)
    tracking.add_milestone(pub.w.users["northclerk"], record, "Début des travaux", soon)
    tracking.add_milestone(pub.w.users["staff"], record, "Études terminées",
                           tracking.today() - timedelta(days=5))
    assert [m.text for m in record.milestones] == ["Études terminées", "Début des travaux"]
    assert tracking_read.next_milestone(record, tracking.today()).text == "Début des travaux"
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "tracking.milestone")) == 2
    with pytest.raises(InvalidSetup):
        tracking.add_milestone(pub.w.users["northclerk"], record, "   ", None)
    with pytest.raises(NotAllowed):
        tracking.add_milestone(pub.w.users["southclerk"], record, "Fini", soon)


def test_the_summary_counts_each_commune_and_the_total(pub):
    tracking.update(pub.w.users["northclerk"], record_of(pub.jardin), changes(
        stage=Stage.DELIVERED, progress=100, committed=6_000, spent=5_900,
        delivered_on=tracking.today()))
    tracking.update(pub.w.users["southclerk"], record_of(pub.preau), changes(
        stage=Stage.ABANDONED, abandon_reason="Trop cher."))
    lines = tracking_read.summary(tracking_read.of_cycle(pub.cycle))
    assert [(line.name, line.delivered, line.in_progress, line.abandoned, line.voted,
             line.spent, line.is_total) for line in lines] == [
        ("Nordville", 1, 0, 0, 6_000, 5_900, False),
        ("Sudville", 0, 0, 1, 20_000, 0, False),
        (None, 0, 1, 0, 50_000, 0, False),
        (None, 1, 1, 1, 76_000, 5_900, True)]
    filtered = tracking_read.of_cycle(pub.cycle, stage=Stage.ABANDONED)
    assert [r.proposal_id for r in filtered] == [pub.preau.id]
    assert [r.proposal_id for r in tracking_read.of_cycle(pub.cycle, intercommunal=True)] == [
        pub.piste.id]


def test_the_demo_tells_each_winner_of_a_published_cycle_a_different_story(pub):
    from budget.services import demo_tracking

    assert demo_tracking.stage_published_cycles(pub.w.epci) == [
        "tracking of 3 projects of Budget test"]
    records = tracking_read.of_cycle(pub.cycle)
    assert sorted(r.stage.value for r in records) == ["delivered", "procurement", "works"]
    works = next(r for r in records if r.stage == Stage.WORKS)
    assert len(tracking_read.announced_dates(works)) == 2, "its planned date was put back"
    assert all(r.milestones and r.spent_eur <= r.committed_eur for r in records)
    assert demo_tracking.stage_published_cycles(pub.w.epci) == [], "loading twice: no change"
