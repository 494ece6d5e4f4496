"""`flask budget audit-verify`: OK on an intact chain, the first broken entry otherwise."""
import pytest
import sqlalchemy as sa
from sqlalchemy import select

from budget.extensions import db
from budget.models.audit import AuditEntry
from budget.services import audit
from tests import factories
from tests.commands.helpers import APPROVAL, import_files, invoke

TABLE = AuditEntry.__table__


@pytest.fixture
def logged(session):
    """Five entries, committed; the database's append-only triggers dropped for this test
    (rolled back with it) so that the test can tamper as an intruder with database access
    would."""
    w = factories.world()
    for n in range(5):
        audit.record(w.users["staff"], "cycle.update", cycle=n + 1,
                     before={"title": f"v{n}"}, after={"title": f"v{n + 1}"})
    db.session.commit()
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(sa.text("DROP TRIGGER audit_log_append_only ON audit_log"))
    else:
        db.session.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        db.session.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
    return w


def rows() -> dict[int, dict]:
    return {row.seq: dict(row._mapping) for row in db.session.execute(select(TABLE))}


def test_an_intact_chain_is_ok(app, logged):
    result = invoke(app, "audit-verify")
    assert result.exit_code == 0, result.output
    last = rows()[5]["hash"]
    assert result.stdout == f"OK: 5 audit entries, chain intact. Last hash: {last}\n"


def test_an_empty_log_is_ok(app, session):
    result = invoke(app, "audit-verify")
    assert result.exit_code == 0 and result.stdout.startswith("OK: 0 audit entries")


def test_an_edited_entry_is_found(app, logged):
    db.session.execute(TABLE.update().where(TABLE.c.seq == 3)
                       .values(after={"title": "forged"}))
    result = invoke(app, "audit-verify")
    assert result.exit_code == 1
    assert "BROKEN at audit entry 3: its content does not match its hash" in result.stderr


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(app, logged):
    from budget.domain.audit_chain import entry_hash

    entry = db.session.get(AuditEntry, 3)
    fields = dict(entry.fields(), after={"title": "forged"})
    db.session.execute(TABLE.update().where(TABLE.c.seq == 3).values(
        after={"title": "forged"}, hash=entry_hash(fields, entry.previous_hash)))
    result = invoke(app, "audit-verify")
    assert result.exit_code == 1
    assert "BROKEN at audit entry 4: it does not follow the entry before it" in result.stderr


def test_a_deleted_entry_is_found(app, logged):
    db.session.execute(TABLE.delete().where(TABLE.c.seq == 2))
    result = invoke(app, "audit-verify")
    assert result.exit_code == 1
    assert "BROKEN at audit entry 3: the entries numbered before it are missing" in result.stderr


def test_two_swapped_entries_are_found(app, logged):
    stored = rows()
    for seq, other in ((2, 3), (3, 2)):
        db.session.execute(TABLE.update().where(TABLE.c.seq == seq).values(
            {key: value for key, value in stored[other].items()
             if key not in ("seq", "previous_hash", "hash")}))
    result = invoke(app, "audit-verify")
    assert result.exit_code == 1
    assert "BROKEN at audit entry 2" in result.stderr


def test_the_command_line_jobs_are_recorded(app, session):
    cycle = import_files(app, APPROVAL)
    assert invoke(app, "tally", cycle.id, "--publish").exit_code == 0
    log = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert [(e.action, e.actor_role, e.cycle_id) for e in log] == [
        ("cycle.import", "operator", cycle.id), ("tally.run", "operator", cycle.id),
        ("tally.publish", "operator", cycle.id), ("tracking.create", "operator", cycle.id)]
    assert invoke(app, "audit-verify").exit_code == 0


def scraped(app, browser, monkeypatch) -> str:
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    page = browser.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_a_broken_chain_is_logged_as_an_error_and_counted_in_the_metrics(
        app, logged, browser, monkeypatch, tmp_path, caplog):
    monkeypatch.setitem(app.config, "DUTY_STATE_DIR", str(tmp_path))
    assert invoke(app, "audit-verify").exit_code == 0
    # (a request would roll back the fixture's dropping of the triggers: one scrape, at the end)
    db.session.execute(TABLE.delete().where(TABLE.c.seq == 2))
    with caplog.at_level("ERROR", logger="budget.duties"):
        assert invoke(app, "audit-verify").exit_code == 1
        assert invoke(app, "audit-verify").exit_code == 1
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "budget.duties"]
    assert len(errors) == 2 and "BROKEN at audit entry 3" in errors[0].getMessage()
    text = scraped(app, browser, monkeypatch)
    assert 'budget_duty_failures_total{duty="audit-verify"} 2.0' in text
    assert 'budget_duty_runs_total{duty="audit-verify"} 3.0' in text
    assert 'budget_duty_last_run_ok{duty="audit-verify"} 0.0' in text
    assert 'budget_duty_last_success_timestamp_seconds{duty="audit-verify"}' in text


def test_an_intact_chain_shows_in_the_metrics_as_a_success(app, session, browser, monkeypatch,
                                                           tmp_path):
    monkeypatch.setitem(app.config, "DUTY_STATE_DIR", str(tmp_path))
    assert "budget_duty_runs_total{" not in scraped(app, browser, monkeypatch)
    assert invoke(app, "audit-verify").exit_code == 0
    text = scraped(app, browser, monkeypatch)
    assert 'budget_duty_failures_total{duty="audit-verify"} 0.0' in text
    assert 'budget_duty_last_run_ok{duty="audit-verify"} 1.0' in text
