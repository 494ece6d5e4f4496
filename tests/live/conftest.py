"""A real database for the live-server tests: created, migrated and seeded with a cycle in its
vote phase and a project to vote for; removed afterwards (PostgreSQL: its schema)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask_migrate import upgrade

from budget.domain.phases import Phase
from budget.extensions import db
from tests import factories
from tests.live import server


@dataclass
class LiveWorld:
    url: str
    app: Flask  # on the live database, in the test process
    cycle_id: int
    project_id: int
    commune_id: int


@pytest.fixture
def live_world(tmp_path):
    url = server.database_url(tmp_path)
    server.reset_schema(url)
    app = server.seeding_app(url)
    try:
        with app.app_context():
            upgrade()
            w = factories.world()
            cycle = factories.cycle(w, Phase.VOTE)
            park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
            world = LiveWorld(url, app, cycle.id, park.id, w.north.id)
            db.session.remove()
        yield world
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        server.reset_schema(url, drop_only=True)


@pytest.fixture
def live_server(live_world, tmp_path):
    """gunicorn, 4 worker processes of 4 threads each, on the live database."""
    running = server.Server(live_world.url, tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.kill()
