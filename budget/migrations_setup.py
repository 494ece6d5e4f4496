"""Flask-Migrate (`flask db ...`, `app.extensions["migrate"]`) set up when first used.

Flask-Migrate imports Alembic (and Mako and Pygments under it), about a tenth of a second of
every process's start, while only `flask db`, the tests and migrations/env.py use it: the app
gets a `db` command and an `extensions["migrate"]` that import it and make the usual
`Migrate.init_app` call the first time they are used (which puts the real ones in their place).
"""
from __future__ import annotations

import click
from flask import Flask

MIGRATE_OPTIONS = {"render_as_batch": True, "compare_type": True}


def init_migrations(app: Flask, db, directory: str) -> None:
    app.extensions["migrate"] = _MigrateOnFirstUse(app, db, directory)
    app.cli.add_command(_MigrationsCommand(app), name="db")


def _set_up(app: Flask):
    """Flask-Migrate's configuration object of `app`, made the first time."""
    waiting = app.extensions["migrate"]
    if isinstance(waiting, _MigrateOnFirstUse):
        from flask_migrate import Migrate
        Migrate(**MIGRATE_OPTIONS).init_app(*waiting.arguments)
    return app.extensions["migrate"]


class _MigrateOnFirstUse:
    """Stands for Flask-Migrate's configuration object in `app.extensions["migrate"]`."""

    def __init__(self, app: Flask, db, directory: str):
        self.arguments = (app, db, directory)

    def __getattr__(self, name: str):
        return getattr(_set_up(self.arguments[0]), name)


class _MigrationsCommand(click.Command):
    """`flask db`: parsed and run by Flask-Migrate's group, imported when it is called."""

    def __init__(self, app: Flask):
        super().__init__("db", help="Perform database migrations.")
        self._app = app

    def make_context(self, info_name, args, parent=None, **extra):
        _set_up(self._app)
        from flask_migrate.cli import db as commands
        return commands.make_context(info_name, args, parent=parent, **extra)
