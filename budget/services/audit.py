"""The audit log: every staff and admin change, written in the change's own transaction.

Call `record(...)` in a service just before its commit: the entry and the change are committed
together or not at all. Appends are serialised (an advisory lock on PostgreSQL; on SQLite the
database's single write lock, taken by the change's own writes), so the chain never forks; the
UNIQUE previous_hash would refuse a fork anyway.
"""
from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, inspect, select, text

from budget.domain.audit_chain import GENESIS, Break, entry_hash, first_break
from budget.domain.numbers import whole_number
from budget.extensions import db
from budget.models.audit import AuditEntry
from budget.models.time import utcnow

# Any key containing one of these words is refused: the log must never hold a secret.
SECRET_WORDS = ("password", "receipt", "census", "access_code", "token", "secret")
# pg_advisory_xact_lock key of the chain's tail ("audit" in ASCII).
CHAIN_LOCK = 0x6175646974


def record(actor, action: str, subject=None, *, cycle=None, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    """Append one entry for a change made in the current transaction; the caller commits.

    actor: the User making the change, or policy.SYSTEM_OPERATOR for command-line jobs; their
        id, display name and role are copied (the role "operator" for the command line).
    action: what was done, a dotted name: "cycle.update", "proposal.review", "paper.validate".
    subject: the model instance the change is about (its table name and id are kept; pending
        changes are flushed first, so a new row has its id), or None.
    cycle: the cycle concerned, an instance or an id; by default the subject's own cycle_id,
        or the subject itself when it is a cycle.
    before, after: what changed, as JSON-able dicts (dates and datetimes become ISO text,
        enums their value). Never secrets: a key naming one (password, receipt, census,
        access_code, token, secret) raises ValueError.
    Returns the entry, added to the session and flushed, not committed.
    """
    before, after = _plain(before), _plain(after)
    db.session.flush()
    _lock_chain()
    last = db.session.execute(select(AuditEntry.seq, AuditEntry.hash)
                              .order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, previous = (last.seq + 1, last.hash) if last else (1, GENESIS)
    entry = AuditEntry(
        seq=seq, recorded_at=utcnow(), actor_id=actor.id,
        actor_name=(actor.display_name or "")[:80],
        actor_role="operator" if actor.id is None else getattr(actor.role, "value", actor.role),
        action=action, subject_type=subject.__tablename__ if subject is not None else None,
        subject_id=_subject_id(subject), cycle_id=_cycle_id(cycle, subject),
        before=before, after=after, previous_hash=previous)
    entry.hash = entry_hash(entry.fields(), previous)
    db.session.add(entry)
    db.session.flush()
    return entry


def _lock_chain() -> None:
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def _subject_id(subject) -> str | None:
    if subject is None:
        return None
    identity = inspect(subject).identity
    return "/".join(str(part) for part in identity) if identity else None


def _cycle_id(cycle, subject) -> int | None:
    if cycle is not None:
        return cycle if isinstance(cycle, int) else cycle.id
    if subject is not None and subject.__tablename__ == "budget_cycles":
        return subject.id
    return getattr(subject, "cycle_id", None)


def _plain(value):
    """`value` as JSON data, refusing secrets."""
    if value is None:
        return None
    data = json.loads(json.dumps(value, default=_json_default))
    _refuse_secrets(data)
    return data


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _refuse_secrets(data) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if any(word in key.lower() for word in SECRET_WORDS):
                raise ValueError(f"the audit log never stores secrets ({key!r})")
            _refuse_secrets(value)
    elif isinstance(data, list):
        for value in data:
            _refuse_secrets(value)


# --- What the services record: the state of what they change -----------------------------

def cycle_state(cycle) -> dict:
    """A cycle's configuration (not its proposals nor ballots)."""
    return {
        "title": cycle.title, "description": cycle.description, "commune_id": cycle.commune_id,
        "proposals_start": cycle.proposals_start, "supports_start": cycle.supports_start,
        "support_threshold": cycle.support_threshold,
        "review_start": cycle.review_start,
        "vote_start": cycle.vote_start, "vote_end": cycle.vote_end,
        "vote_format": cycle.vote_format, "vote_params": cycle.vote_params,
        "tally_rule": cycle.tally_rule, "total_amount": cycle.total_amount,
        "comment_phases": cycle.comment_phases,
        "envelopes": {str(e.commune_id or "intercommunal"): {
            "amount": e.amount, "vote_params": e.vote_params} for e in cycle.envelopes},
    }


def proposal_state(proposal) -> dict:
    """What staff review decides about a proposal."""
    return {"status": proposal.status, "final_cost": proposal.final_cost,
            "cost_justification": proposal.cost_justification,
            "rejection_reason": proposal.rejection_reason,
            "merged_into_id": proposal.merged_into_id}


# --- Reading and checking the log --------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """Every criterion is optional. actor: an account id, or part of a display name.
    since/until: naive UTC instants, until excluded."""

    cycle_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(criteria: AuditFilter) -> Select:
    """The entries matching `criteria`, newest first (a query, to paginate)."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if criteria.cycle_id is not None:
        query = query.where(AuditEntry.cycle_id == criteria.cycle_id)
    if criteria.actor:
        actor = criteria.actor.strip()
        number = whole_number(actor)
        query = query.where(AuditEntry.actor_id == number if number is not None
                            else AuditEntry.actor_name.ilike(f"%{_escape_like(actor)}%",
                                                             escape="\\"))
    if criteria.action:
        query = query.where(AuditEntry.action == criteria.action)
    if criteria.since is not None:
        query = query.where(AuditEntry.recorded_at >= criteria.since)
    if criteria.until is not None:
        query = query.where(AuditEntry.recorded_at < criteria.until)
    return query


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def actions() -> list[str]:
    """Every action name in the log, for the filter's choices."""
    return list(db.session.scalars(select(AuditEntry.action).distinct()
                                   .order_by(AuditEntry.action)))


def verify() -> tuple[Break | None, int, str]:
    """Walk the whole chain: (first break or None, entries checked, last good hash)."""
    # populate_existing: what the database holds, not entries this session loaded earlier.
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)
                                 .execution_options(yield_per=1000, populate_existing=True))
    return first_break((e.fields(), e.previous_hash, e.hash) for e in entries)
