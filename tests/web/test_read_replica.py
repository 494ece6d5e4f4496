"""A visitor's public pages are read from the read replica; everything else from the primary
(budget/read_replica.py).

Two databases stand for the primary and its replica: the same rows, except that the cycle and
its project are titled "... Primaire" in one and "... Replique" in the other, so each page
says which database served it. The replica refuses every write, as a hot standby does (SQLite:
`PRAGMA query_only`; PostgreSQL: `default_transaction_read_only`). On PostgreSQL both are
schemas of the test database (BUDGET_TEST_DATABASE_URL), dropped afterwards.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from budget import create_app
from budget.domain.phases import Phase
from budget.extensions import db, limiter
from budget.models import BudgetCycle, Proposal
from budget.read_replica import REPLICA, reading_replica
from budget.services import cycles, tally, voting
from config import _replica_binds
from tests import factories
from tests.conftest import Browser
from tests.web.test_route_policy import ROUTES

TEST_DATABASE_URL = os.environ.get("BUDGET_TEST_DATABASE_URL")
PRIMARY, REPLICA_MARK = "Primaire", "Replique"
SCHEMAS = {PRIMARY: "read_replica_test_primary", REPLICA_MARK: "read_replica_test_standby"}

# Every view marked @replica_readable, with a page of the scene; the tracking photos need a
# photo on disk, and are only looked up by their token.
PAGES = {
    "public.home": "/",
    "public.cycle_page": "/cycles/{cycle}",
    "public.cycle_map": "/cycles/{cycle}/map",
    "public.how_it_works": "/cycles/{cycle}/how-it-works",
    "public.proposal_page": "/proposals/{project}",
    "public.editions_page": "/intercommunalities/{epci}/editions",
    "results.results_page": "/cycles/{cycle}/results",
    "tracking.cycle_tracking": "/cycles/{cycle}/tracking",
    "tracking.cycle_tracking_map": "/cycles/{cycle}/tracking/map",
    "api.list_cycles": "/api/v1/cycles",
    "api.get_cycle": "/api/v1/cycles/{cycle}",
    "api.list_proposals": "/api/v1/cycles/{cycle}/proposals",
    "api.get_results": "/api/v1/cycles/{cycle}/results",
    "api.get_tracking": "/api/v1/cycles/{cycle}/tracking",
}
UNVISITED = {"tracking.photo", "tracking.thumbnail"}
PUBLIC_KINDS = {"public", "published", "results", "readable", "nobody"}


def _url(folder, mark: str, read_only: bool = False) -> str:
    """The database of `mark`: a schema of the test database, or a SQLite file in `folder`."""
    if TEST_DATABASE_URL:
        options = f"-csearch_path={SCHEMAS[mark]}"
        if read_only:
            options += " -cdefault_transaction_read_only=on"
        return _replica_binds(f"{TEST_DATABASE_URL}?options={quote(options)}")["replica"]
    return f"sqlite:///{folder / mark}.db"


@contextmanager
def _app(**config):
    """An app of its own; the limiter is one object for every app (tests/conftest.py)."""
    was_enabled = limiter.enabled
    app = create_app("testing", **config)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        limiter.enabled = was_enabled


def _seed(mark: str) -> dict[str, int]:
    """A published cycle of one project and one ballot, titled with `mark`."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.title = f"Budget {mark}"
    project = factories.project(cycle, w.north, f"Jardin {mark}", 6_000, w.users["bob"])
    voting.cast(w.users["alice"], cycle, [project.id])
    staff = w.users["staff"]
    cycles.close_vote(staff, cycle)
    tally.publish(staff, cycle, tally.run_tally(staff, cycle).id)
    open_cycle = factories.cycle(w, Phase.PROPOSALS)
    open_cycle.title = f"Ouvert {mark}"
    db.session.commit()
    return {"cycle": cycle.id, "project": project.id, "epci": w.epci.id,
            "open_cycle": open_cycle.id,
            "north_envelope": factories.envelope(open_cycle, w.north).id}


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """(app reading the replica, ids of the scene): the same ids in both databases."""
    folder = tmp_path_factory.mktemp("replica")
    schemas = sa.create_engine(_replica_binds(TEST_DATABASE_URL)["replica"]) \
        if TEST_DATABASE_URL else None
    if schemas is not None:
        with schemas.begin() as connection:
            for name in SCHEMAS.values():
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
                connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    ids = {}
    for mark in (PRIMARY, REPLICA_MARK):
        with _app(SQLALCHEMY_DATABASE_URI=_url(folder, mark)) as seeding, seeding.app_context():
            upgrade()
            ids[mark] = _seed(mark)
    assert ids[PRIMARY] == ids[REPLICA_MARK]
    try:
        with _app(SQLALCHEMY_DATABASE_URI=_url(folder, PRIMARY),
                  SQLALCHEMY_BINDS={REPLICA: _url(folder, REPLICA_MARK, read_only=True)}) as app:
            if schemas is None:
                with app.app_context():
                    sa.event.listen(db.engines[REPLICA], "connect", _refuse_writes)
            yield app, ids[PRIMARY]
    finally:
        if schemas is not None:
            with schemas.begin() as connection:
                for name in SCHEMAS.values():
                    connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
            schemas.dispose()


def _refuse_writes(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _page(app, path: str, browser: Browser | None = None) -> str:
    answer = (browser or Browser(app.test_client())).get(path, headers={"Accept-Language": "fr"})
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_a_visitor_reads_each_public_page_from_the_replica(scene, endpoint):
    app, ids = scene
    page = _page(app, PAGES[endpoint].format(**ids))
    assert REPLICA_MARK in page and PRIMARY not in page


def test_the_pages_above_are_every_view_marked_for_the_replica(scene):
    app, _ = scene
    marked = {name for name, view in app.view_functions.items()
              if getattr(view, "replica_readable", False)}
    assert marked == set(PAGES) | UNVISITED


def test_every_view_marked_for_the_replica_is_a_public_page_that_only_reads(scene):
    app, _ = scene
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "replica_readable", False):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.endpoint
            assert ROUTES[rule.endpoint].kind in PUBLIC_KINDS, rule.endpoint


def test_a_signed_in_resident_reads_the_primary_even_on_a_public_page(scene):
    """They may be looking at what they just wrote, which the replica may not have yet."""
    app, ids = scene
    browser = Browser(app.test_client())
    browser.login("bob@example.fr")
    for path in ("/proposals/{project}", "/cycles/{cycle}/results"):
        page = _page(app, path.format(**ids), browser)
        assert PRIMARY in page and REPLICA_MARK not in page


def test_a_page_not_marked_for_the_replica_reads_the_primary(scene):
    app, ids = scene
    page = _page(app, "/cycles/{cycle}/receipt".format(**ids))
    assert PRIMARY in page and REPLICA_MARK not in page


def test_a_proposal_sent_by_a_resident_is_written_to_the_primary_and_shown_to_them(scene):
    """The author then reads their new proposal, which the replica may not have yet."""
    app, ids = scene
    browser = Browser(app.test_client())
    browser.login("alice@example.fr")
    answer = browser.post(f"/cycles/{ids['open_cycle']}/proposals/new", {
        "title": "Bancs publics", "description": "Des bancs sur la place du marché.",
        "estimated_cost": "3000", "envelope_id": str(ids["north_envelope"])})
    assert answer.status_code == 302
    assert "Bancs publics" in _page(app, answer.headers["Location"], browser)
    assert _count_everywhere(app, Proposal, Proposal.title == "Bancs publics") == (1, 0)


def test_a_write_inside_a_view_reading_the_replica_goes_to_the_primary(scene):
    app, ids = scene
    with app.test_request_context(), reading_replica(db.session()):
        cycle = db.session.get(BudgetCycle, ids["cycle"])
        assert cycle.title == f"Budget {REPLICA_MARK}"
        cycle.description = "Écrit pendant une lecture de la réplique."  # a flush
        db.session.execute(sa.update(Proposal).where(Proposal.id == ids["project"])
                           .values(description="Écrit aussi."))
        db.session.commit()
    assert _count_everywhere(app, BudgetCycle, BudgetCycle.description.startswith("Écrit")) \
        == (1, 0)
    assert _count_everywhere(app, Proposal, Proposal.description == "Écrit aussi.") == (1, 0)


def _count_everywhere(app, model, condition) -> tuple[int, int]:
    """How many rows of `model` meet `condition`: on the primary, on the replica."""
    query = sa.select(sa.func.count()).select_from(model).where(condition)
    with app.app_context():
        with db.engines[None].connect() as primary, db.engines[REPLICA].connect() as replica:
            return primary.scalar(query), replica.scalar(query)


def test_a_server_is_ready_when_its_replica_answers_at_the_migrations_head(scene):
    app, _ = scene
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200 and answer.get_json()["checks"]["replica"] == "ok"


def test_without_a_replica_configured_there_is_no_second_engine():
    assert _replica_binds(None) == _replica_binds("") == {}
    assert _replica_binds("postgres://standby.example/budget") == {
        "replica": "postgresql+psycopg://standby.example/budget"}
