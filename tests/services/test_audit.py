"""The audit log: every staff change writes one chained entry in its own transaction."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from budget.domain.audit_chain import GENESIS
from budget.domain.errors import DomainError, InvalidSetup, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models.audit import AppendOnly, AuditEntry
from budget.models.time import utcnow
from budget.services import audit, cycle_setup, cycles, paper, proposals, tally
from budget.services.policy import SYSTEM_OPERATOR
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def draft(title="Budget 2027", amount=50_000) -> cycle_setup.CycleDraft:
    now = utcnow()
    return cycle_setup.CycleDraft(
        title=title, description="", proposals_start=now + timedelta(days=1),
        review_start=now + timedelta(days=10), vote_start=now + timedelta(days=20),
        vote_end=now + timedelta(days=30), vote_format="approval",
        vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=amount,
        commune_amounts={})


def a_cycle_through_its_life(w):
    """Every hooked staff service, once: returns the cycle."""
    staff = w.users["staff"]
    d = draft()
    d.commune_amounts = {w.north.id: 10_000, w.south.id: 20_000}
    cycle = cycle_setup.create_cycle(staff, w.epci, d)
    d.title = "Budget 2027, corrigé"
    cycle_setup.update_cycle(staff, cycle, d)
    cycle.proposals_start = utcnow() - timedelta(days=3)
    cycle.review_start = utcnow() - timedelta(days=2)
    cycle.vote_start = utcnow() - timedelta(days=1)
    db.session.commit()
    project = factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"],
                                Status.SUBMITTED)
    cycle.vote_start = utcnow() + timedelta(days=1)  # back to review for the decision
    db.session.commit()
    proposals.review(staff, project, proposals.Decision(Status.ON_BALLOT, 4_500, "Devis."))
    cycle.vote_start = utcnow() - timedelta(days=1)
    db.session.commit()
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    for who in ("northclerk", "staff"):
        paper.start_entry(w.users[who], batch)
        paper.enter_ballot(w.users[who], batch, 1, "valid", [project.id])
    paper.validate(staff, batch)
    cycles.close_vote(staff, cycle)
    run = tally.run_tally(staff, cycle)
    tally.publish(staff, cycle, run.id)
    return cycle


def test_each_staff_change_is_recorded_and_the_chain_verifies(w):
    cycle = a_cycle_through_its_life(w)
    log = entries()
    assert [e.action for e in log] == [
        "cycle.create", "cycle.update", "proposal.review", "paper.create_batch",
        "paper.start_entry", "paper.enter_ballot", "paper.start_entry", "paper.enter_ballot",
        "paper.validate", "cycle.close_vote", "tally.run", "tally.publish",
        "tracking.create"]  # publishing makes the winners' tracking records
    assert [e.seq for e in log] == list(range(1, 14))
    assert log[0].previous_hash == GENESIS
    assert all(e.cycle_id == cycle.id for e in log)
    update = log[1]
    assert (update.before["title"], update.after["title"]) == ("Budget 2027",
                                                               "Budget 2027, corrigé")
    assert update.actor_id == w.users["staff"].id and update.actor_role == "staff"
    assert update.actor_name == "staff"
    review = log[2]
    assert review.before["status"] == "submitted" and review.after == {
        "status": "on_ballot", "final_cost": 4_500, "cost_justification": "Devis.",
        "rejection_reason": None, "merged_into_id": None}
    assert log[3].actor_role == "commune_staff"
    assert log[8].after == {"ballots": 1, "blank": 0, "spoiled": 0}
    assert audit.verify() == (None, 13, log[-1].hash)


def test_the_command_line_operator_is_recorded_as_such(w):
    cycle = factories.cycle(w, Phase.COUNTING)
    tally.run_tally(SYSTEM_OPERATOR, cycle)
    (entry,) = entries()
    assert (entry.actor_id, entry.actor_role, entry.action) == (None, "operator", "tally.run")


def test_a_refused_change_leaves_no_entry(w):
    cycle = factories.cycle(w, Phase.VOTE)
    with pytest.raises(WrongPhase):  # the configuration is frozen once the vote opens
        cycle_setup.update_cycle(w.users["staff"], cycle, draft())
    with pytest.raises(NotAllowed):
        cycles.close_vote(w.users["southclerk"], cycle)
    project = factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    with pytest.raises(WrongPhase):
        proposals.review(w.users["staff"], project, proposals.Decision(Status.REJECTED))
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    paper.start_entry(w.users["northclerk"], batch)
    with pytest.raises(DomainError):  # only one entry: nothing to validate
        paper.validate(w.users["northclerk"], batch)
    db.session.rollback()
    assert [e.action for e in entries()] == ["paper.create_batch", "paper.start_entry"]
    with pytest.raises(InvalidSetup):
        cycle_setup.create_cycle(w.users["staff"], w.epci, draft(title=""))
    db.session.rollback()
    assert count() == 2


def test_an_entry_goes_with_its_rolled_back_change(w):
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.title = "Changé"
    audit.record(w.users["staff"], "cycle.update", cycle, after={"title": "Changé"})
    db.session.rollback()
    assert count() == 0 and cycle.title == "Budget test"


def test_secrets_are_never_logged(w):
    for state in ({"password_hash": "scrypt:..."}, {"ballot": {"receipt_code": "AAAA"}},
                  {"rows": [{"census_id": "123"}]}):
        with pytest.raises(ValueError):
            audit.record(w.users["admin"], "user.update", w.users["alice"], after=state)
    assert count() == 0


def test_the_application_refuses_to_change_or_delete_an_entry(w):
    entry = audit.record(w.users["admin"], "test.action", after={"n": 1})
    db.session.commit()
    entry.after = {"n": 2}
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    assert entries()[0].after == {"n": 1}


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'",
                                       "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_or_delete_an_entry(w, statement):
    audit.record(w.users["admin"], "test.action", after={"n": 1})
    db.session.commit()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement))
    assert count() == 1


def test_search_filters(w):
    staff, clerk = w.users["staff"], w.users["northclerk"]
    audit.record(staff, "cycle.update", cycle=1)
    audit.record(clerk, "paper.create_batch", cycle=2)
    audit.record(staff, "tally.run", cycle=2)
    db.session.commit()

    def actions(**criteria):
        found = db.session.scalars(audit.search(audit.AuditFilter(**criteria)))
        return [e.action for e in found]

    assert actions() == ["tally.run", "paper.create_batch", "cycle.update"]
    assert actions(cycle_id=2) == ["tally.run", "paper.create_batch"]
    assert actions(actor="north") == ["paper.create_batch"]
    assert actions(actor=str(staff.id)) == ["tally.run", "cycle.update"]
    assert actions(action="tally.run", cycle_id=2) == ["tally.run"]
    assert actions(actor="100%_") == []
    now = utcnow()
    assert len(actions(since=now - timedelta(minutes=5), until=now + timedelta(minutes=5))) == 3
    assert actions(until=now - timedelta(minutes=5)) == []
    assert audit.actions() == ["cycle.update", "paper.create_batch", "tally.run"]
