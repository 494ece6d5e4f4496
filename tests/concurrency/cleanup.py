"""These tests commit for real (threads need their own connections): afterwards, every table
is emptied, the append-only audit log included."""
import sqlalchemy as sa

from budget.extensions import db


def empty_every_table() -> None:
    """Empty the database the tests committed to. The audit log's triggers refuse deletes:
    they are set aside for that one statement, then put back."""
    db.session.rollback()
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        db.session.execute(sa.text("DELETE FROM audit_log"))
        db.session.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    else:
        trigger = db.session.scalar(sa.text(
            "SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'"))
        db.session.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        db.session.execute(sa.text("DELETE FROM audit_log"))
        db.session.execute(sa.text(trigger))
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "audit_log":
            db.session.execute(table.delete())
    db.session.commit()
