"""`flask budget backup` and `flask budget restore`: back up, change the data, restore, and the
data is back. On a database of their own (backups see committed rows only): a SQLite file, or
a PostgreSQL database next to the test database (`<name>_backup`)."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from budget import create_app
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BudgetCycle, Commune, User
from tests import factories
from tests.commands import helpers


def _postgres_database(base: str) -> str:
    """A fresh database named after the test database, on the same server."""
    server = sa.make_url(base)
    name = f"{server.database}_backup"
    admin = sa.create_engine(server.set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


@pytest.fixture
def own_database(tmp_path):
    base = os.environ.get("BUDGET_TEST_DATABASE_URL")
    url = _postgres_database(base) if base else f"sqlite:///{tmp_path / 'live.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url,
                     DUTY_STATE_DIR=str(tmp_path / "duties"))
    with app.app_context():
        upgrade()
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if base:
        admin = sa.create_engine(sa.make_url(base).set(drivername="postgresql+psycopg"),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')
        admin.dispose()


def invoke(app, *args):
    with app.app_context():  # as `flask` gives every command
        return helpers.invoke(app, *args)


def snapshot(app) -> dict:
    with app.app_context():
        tables = {table.name: sorted(map(tuple, db.session.execute(table.select()).all()),
                                     key=repr)
                  for table in db.metadata.sorted_tables}
        db.session.remove()
    return tables


def test_backup_then_restore_brings_the_data_back(own_database, tmp_path):
    app = own_database
    before = snapshot(app)
    target = tmp_path / "budget.backup"
    made = invoke(app, "backup", target)
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0 and "Backup written" in made.stdout
    with app.app_context():
        db.session.get(BudgetCycle, 1).title = "Changed after the backup"
        db.session.add(Commune(intercommunality_id=1, name="Nouvelleville", insee_code="99009",
                               population=10))
        db.session.delete(db.session.scalars(sa.select(User).where(
            User.email == "zoe@example.fr")).one())
        db.session.commit()
    assert snapshot(app) != before
    refused = invoke(app, "restore", target)  # no --yes: asks, and nothing happens
    assert refused.exit_code != 0 and snapshot(app) != before
    done = invoke(app, "restore", target, "--yes")
    assert done.exit_code == 0, done.output
    assert snapshot(app) == before


def test_restoring_something_that_is_no_backup_changes_nothing(own_database, tmp_path):
    app = own_database
    before = snapshot(app)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup\n" * 100)
    result = invoke(app, "restore", bogus, "--yes")
    assert result.exit_code == 2 and "The database was not changed" in result.stderr
    assert snapshot(app) == before
    missing = invoke(app, "backup", tmp_path)
    assert missing.exit_code == 2 and "is a directory" in missing.stderr


def test_the_nightly_backup_keeps_the_newest_and_deletes_only_its_own_older_files(
        own_database, tmp_path):
    app = own_database
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20261101T020000Z", "20261102T020000Z", "20261103T020000Z"):
        (folder / f"budget-{stamp}.backup").write_bytes(b"an older backup")
    (folder / "notes.txt").write_text("not a backup: never deleted")
    (folder / "budget-manual.backup").write_text("not named by the rotation: never deleted")
    result = invoke(app, "backup", "--into", folder, "--keep", 2)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names[:3] == ["budget-20261103T020000Z.backup", names[1], "budget-manual.backup"]
    assert names[1].startswith("budget-2") and names[1] != "budget-20261103T020000Z.backup"
    assert names[3:] == ["notes.txt"]
    assert "Deleted the older backup" in result.stdout and (folder / names[1]).stat().st_size
    assert invoke(app, "restore", folder / names[1], "--yes").exit_code == 0
    with app.app_context():
        from budget.ops.duties import read_states

        assert read_states()["backup"]["runs"] == 1 and read_states()["backup"]["last_ok"]


def test_the_backup_command_wants_one_target(own_database, tmp_path):
    assert invoke(own_database, "backup").exit_code == 2
    assert invoke(own_database, "backup", tmp_path / "x", "--into", tmp_path).exit_code == 2
    assert invoke(own_database, "backup", "--into", tmp_path, "--keep", 0).exit_code == 2
