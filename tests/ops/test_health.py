"""/healthz says the process answers; /readyz that the database answers at the migrations'
head (and Redis, when configured)."""
from alembic.runtime.migration import MigrationContext

from budget.extensions import db


def test_healthz(browser):
    response = browser.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_when_the_schema_is_at_head(browser):
    response = browser.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "replica": "not configured",
                                             "redis": "not configured"}


def test_not_ready_behind_the_migrations(app, browser, monkeypatch):
    monkeypatch.setitem(app.extensions, "budget_migration_heads", {"a_newer_revision"})
    response = browser.get("/readyz")
    assert response.status_code == 503
    assert "a_newer_revision" in response.get_json()["checks"]["database"]


def test_not_ready_without_redis(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delitem(app.extensions, "budget_redis", raising=False)
    try:
        response = browser.get("/readyz")
    finally:
        app.extensions.pop("budget_redis", None)
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"].startswith("unreachable")


def test_the_test_database_is_at_head(app, session):
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads()
