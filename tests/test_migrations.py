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
