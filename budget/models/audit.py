"""The audit log: one row per staff or admin change, append-only, chained by hashes.

`seq` numbers entries 1, 2, 3, ... without gaps; `hash` is the SHA-256 of the entry's content
and `previous_hash` (domain/audit_chain.py). UNIQUE on `previous_hash` means two writers can
never both append after the same entry: the chain cannot fork. Rows are never updated nor
deleted: the mapper refuses it here, and the database refuses it too (triggers created by the
migration, on PostgreSQL and SQLite alike).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, event
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(index=True)
    # A snapshot of who acted, as they were then; actor_id None: the command line operator.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    cycle_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def fields(self) -> dict:
        """What the hash covers, as plain JSON data."""
        return {"seq": self.seq, "recorded_at": self.recorded_at.isoformat(),
                "actor_id": self.actor_id, "actor_name": self.actor_name,
                "actor_role": self.actor_role, "action": self.action,
                "subject_type": self.subject_type, "subject_id": self.subject_id,
                "cycle_id": self.cycle_id, "before": self.before, "after": self.after}


class AppendOnly(Exception):
    """Something tried to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_changes(_mapper, _connection, entry) -> None:
    raise AppendOnly(f"audit entry {entry.seq} is append-only")
