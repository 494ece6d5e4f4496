"""`/healthz`: the process answers. `/readyz`: it can serve, meaning the database (and its
read replica, when there is one) and Redis answer and the schema is at the migrations' head.
A load balancer sends traffic only to a ready server; an orchestrator restarts one that is not
healthy."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify

from budget.extensions import db, limiter
from budget.ops.redis import redis_connection
from budget.read_replica import REPLICA

bp = Blueprint("ops_health", __name__)
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def _migrations_head() -> set[str]:
    heads = current_app.extensions.get("budget_migration_heads")
    if heads is None:
        from alembic.script import ScriptDirectory   # (Alembic: only here, not at start-up)
        heads = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
        current_app.extensions["budget_migration_heads"] = heads
    return heads


def _check_database(bind_key: str | None = None) -> str:
    from alembic.runtime.migration import MigrationContext
    with db.engines[bind_key].connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    expected = _migrations_head()
    if current != expected:
        return f"schema at {sorted(current) or 'nothing'}, migrations at {sorted(expected)}"
    return "ok"


def _check_replica() -> str:
    """The public pages read from it (budget/read_replica.py): a replica that does not answer,
    or has not replayed the latest migration yet, would make them fail."""
    return _check_database(REPLICA) if REPLICA in db.engines else "not configured"


def _check_redis() -> str:
    connection = redis_connection()
    if connection is None:
        return "not configured"
    connection.ping()
    return "ok"


@bp.route("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
def readyz():
    checks = {}
    for name, check in (("database", _check_database), ("replica", _check_replica),
                        ("redis", _check_redis)):
        try:
            checks[name] = check()
        except Exception as error:  # any failure means "not ready"; the reason is reported
            checks[name] = f"unreachable: {type(error).__name__}"
            current_app.logger.warning("readiness check %s failed: %s", name, error)
    ready = all(result in ("ok", "not configured") for result in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
