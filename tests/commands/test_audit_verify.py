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
        ("tally.publish", "operator", cycle.id)]
    assert invoke(app, "audit-verify").exit_code == 0
