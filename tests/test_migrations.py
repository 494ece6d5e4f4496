"""The schema comes only from the migrations: upgrading an empty database to head must give
exactly the models, with nothing left for autogenerate to add, drop or alter."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from budget.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_are_at_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert current == script.get_current_head()


# Rows written with the first revision's columns, so that later revisions must carry them.
FIRST_REVISION_ROWS = [
    "INSERT INTO intercommunalities (id, name, siren) VALUES (1, 'CC', '200000001')",
    "INSERT INTO communes (id, intercommunality_id, name, insee_code, population) "
    "VALUES (1, 1, 'Nordville', '99001', 1000)",
    "INSERT INTO users (id, email, password_hash, display_name, role, home_commune_id, "
    "created_at) VALUES (1, 'a@example.fr', 'x', 'A', 'citizen', 1, '2026-01-01')",
    "INSERT INTO budget_cycles (id, intercommunality_id, title, description, proposals_start, "
    "review_start, vote_start, vote_end, vote_format, vote_params, tally_rule) VALUES (1, 1, "
    "'B', '', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', 'approval', '{}', "
    "'greedy')",
    "INSERT INTO envelopes (id, cycle_id, commune_id, amount) VALUES (1, 1, 1, 10000)",
    "INSERT INTO proposals (id, cycle_id, envelope_id, author_id, title, description, "
    "estimated_cost, final_cost, status, created_at, updated_at) VALUES (1, 1, 1, 1, 'P', 'D', "
    "500, 500, 'on_ballot', '2026-01-01', '2026-01-01')",
    "INSERT INTO participations (id, cycle_id, user_id, voted_at) VALUES (1, 1, 1, "
    "'2026-03-02')",
    "INSERT INTO ballots (id, cycle_id, commune_id, receipt_hash, cast_on, channel) VALUES "
    "('b1', 1, 1, 'h', '2026-03-02', 'online')",
    "INSERT INTO ballot_selections (ballot_id, proposal_id) VALUES ('b1', 1)",
]


def test_every_migration_upgrades_a_database_holding_data(tmp_path):
    """SQLite alters a table by rebuilding it: rows that refer to it must survive each later
    revision, with foreign keys checked and switched back on."""
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from budget import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'up.db'}")
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
        upgrade(revision=revisions[0])
        with db.engine.begin() as connection:
            for statement in FIRST_REVISION_ROWS:
                connection.exec_driver_sql(statement)
        for revision in revisions[1:]:
            upgrade(revision=revision)
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql(
                "SELECT count(*) FROM ballot_selections JOIN proposals "
                "ON proposals.id = proposal_id").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
