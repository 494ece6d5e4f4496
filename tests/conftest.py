"""Test fixtures: the app and its database are built once per session (schema from the
Alembic migrations); every test runs inside a transaction that is rolled back afterwards.

The database is SQLite in a temporary folder, or the one named by BUDGET_TEST_DATABASE_URL
(PostgreSQL in CI); that database is emptied before the migrations run.

Property tests take their number of examples from a Hypothesis profile, chosen with
BUDGET_HYPOTHESIS_PROFILE: `fast` (the default, 100 examples per test: `make test`, and CI's
run on PostgreSQL), `ci` (300 per test: CI's run on SQLite), `nightly` (10,000: `make
fuzz-long`), `dev` (20, while iterating). Tests that set max_examples themselves keep it.
The `ci` profile had 1,000 examples: tests/properties then took 3,167 s of a 4,536 s SQLite
run (session 11, the machine shared with the PostgreSQL suite), most of CI's time; each CI
run draws new examples, and the nightly profile is there for a deep search.

Tests that use no test database (pure domain code, commands on files, apps of their own on a
SQLite file) are told apart at collection (`pytest_collection_modifyitems`): the others get the
`database` marker, and `--database-only` runs those alone, which is how CI runs the suite on
PostgreSQL after a full run on SQLite.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, request_started, request_tearing_down
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from itsdangerous import URLSafeTimedSerializer

from budget import create_app
from budget.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("BUDGET_TEST_DATABASE_URL")

# Examples share their test's fixtures (the app, the rolled-back session) on purpose.
_SHARED_FIXTURES = dict(deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fast", max_examples=100, **_SHARED_FIXTURES)
settings.register_profile("ci", max_examples=300, **_SHARED_FIXTURES)
settings.register_profile("nightly", max_examples=10_000, **_SHARED_FIXTURES)
settings.register_profile("dev", max_examples=20, **_SHARED_FIXTURES)
settings.load_profile(os.environ.get("BUDGET_HYPOTHESIS_PROFILE", "fast"))


# A test needs the test database when it uses one of these fixtures (directly or through
# another fixture: session, browser, scene...), or when its module, a tests.* module it
# imports or a conftest.py of its folders names BUDGET_TEST_DATABASE_URL (live servers,
# backups and job queues make their own connections to it).
DATABASE_FIXTURES = {"app", "database_url"}
NAMES_THE_DATABASE = "TEST_DATABASE_URL"
TESTS = Path(__file__).parent
FROM_TESTS_IMPORT = re.compile(r"^\s*from (tests[\w.]*) import (?:\(([^)]*)\)|([\w, ]+))",
                               re.M)
IMPORT_TESTS = re.compile(r"^\s*import (tests[\w.]*)", re.M)


def pytest_addoption(parser):
    parser.addoption("--database-only", action="store_true",
                     help="run only the tests that use the test database (marker `database`):"
                          " CI's run on PostgreSQL, after the whole suite on SQLite")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    kept, dropped = [], []
    for item in items:
        if uses_the_database(item):
            item.add_marker(pytest.mark.database)
            kept.append(item)
        else:
            dropped.append(item)
    if config.getoption("database_only") and dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def uses_the_database(item) -> bool:
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return _names_the_database(Path(str(item.fspath)))


@functools.cache
def _names_the_database(test_module: Path) -> bool:
    """Whether the test module, the conftest.py files of its folders, or a tests.* module
    they import (and so on) name the variable; tests/conftest.py aside: it names it for the
    `database_url` fixture."""
    conftests = [folder / "conftest.py" for folder in test_module.parents
                 if TESTS in folder.parents]
    to_read, seen = [test_module, *conftests], {TESTS / "conftest.py"}
    while to_read:
        path = to_read.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        source = path.read_text(encoding="utf-8")
        if NAMES_THE_DATABASE in source:
            return True
        to_read += _test_modules_imported(source)
    return False


def _test_modules_imported(source: str) -> list[Path]:
    names = IMPORT_TESTS.findall(source)
    for package, in_parentheses, on_one_line in FROM_TESTS_IMPORT.findall(source):
        imported = (in_parentheses or on_one_line).replace("\n", " ").split(",")
        names += [package] + [f"{package}.{name.split()[0]}" for name in imported
                              if name.split()]  # `from tests.live import server`: a module
    paths = [TESTS.parent.joinpath(*name.split(".")) for name in names]
    return [path.with_suffix(".py") if path.with_suffix(".py").is_file()
            else path / "__init__.py" for path in paths]


def _empty_database(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    else:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from config import _database_url

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=_database_url(database_url),
                     DUTY_STATE_DIR=str(tmp_path_factory.mktemp("duties")))
    with app.app_context():
        _empty_database(db.engine)
        upgrade()
    return app


@pytest.fixture
def session(app):
    """A database session whose work is rolled back after the test, even what it committed."""
    with rolled_back_session(app) as session:
        yield session


@contextmanager
def rolled_back_session(app):
    """The app's database session, inside a transaction rolled back at the end (what was
    committed too): the `session` fixture's, and each scene's of SharedScenes.

    Requests made meanwhile join the same connection (their commits become savepoints).
    The caller keeps one app context open for its own queries, and Flask reuses an open app
    context for requests, so each request starts with an empty `g` (no signed-in user or
    locale carried over) and ends with a rollback of what it left uncommitted, as its own
    context would in production.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        factory = db.session.session_factory
        saved = dict(factory.kw)
        factory.configure(bind=connection, join_transaction_mode="create_savepoint")
        db.session.remove()

        def fresh_g(sender, **extra):
            g.__dict__.clear()

        def drop_uncommitted(sender, **extra):
            db.session.rollback()

        try:
            with request_started.connected_to(fresh_g, app), \
                    request_tearing_down.connected_to(drop_uncommitted, app):
                yield db.session
        finally:
            db.session.remove()
            factory.kw.clear()
            factory.kw.update(saved)
            outer.rollback()
            connection.close()


class SharedScenes:
    """One scene at a time, kept while consecutive tests ask for the same key: build(*key) runs
    in a transaction of its own (rolled_back_session), rolled back when another key is asked
    for. Tests that share a scene must leave it as they found it (undone around what writes),
    and be parametrized so that tests of one key follow each other (its parameter the slowest,
    i.e. the lowest decorator)."""

    def __init__(self, app, build):
        self.app, self.build = app, build
        self.key, self.scene = None, None
        self.open = ExitStack()

    def get(self, *key):
        if key != self.key:
            self.close()
            self.open.enter_context(rolled_back_session(self.app))
            self.scene = self.build(*key)
            self.key = key
        return self.scene

    def close(self) -> None:
        self.open.close()
        self.key = self.scene = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextmanager
def rate_limited_app(tmp_path, **config):
    """An app of its own, rate limits on, on a fresh SQLite database in `tmp_path`. The limiter
    is one object for every app: it is put back as the other tests want it afterwards."""
    was_enabled = limiter.enabled
    app = create_app("testing", RATELIMIT_ENABLED=True,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limits.db'}", **config)
    with app.app_context():
        upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        limiter.enabled = was_enabled


@contextmanager
def undone(session):
    """Roll back, at the end, what happens inside, commits included: the examples of a
    property test share one test's transaction, and each must start from the same data."""
    session.commit()  # the session's next savepoint must begin inside ours, not around it
    savepoint = session.get_bind().begin_nested()
    try:
        yield
    finally:
        session.rollback()
        savepoint.rollback()


def table_snapshot() -> dict:
    """Every row of every table: equal snapshots mean nothing was written.

    Rows come in primary-key order (every table has one), so equal rows give equal lists with
    no sorting here; they are read as the database stores them, with the driver's own cursor:
    property tests take a snapshot or two per example, and SQLAlchemy's work per statement
    was most of their cost."""
    db.session.flush()  # as the ORM's own queries would
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    snapshot = {}
    try:
        for name, query in _snapshot_queries(connection.dialect):
            cursor.execute(query)
            snapshot[name] = cursor.fetchall()
    finally:
        cursor.close()
    return snapshot


@functools.cache
def _snapshot_queries(dialect) -> list[tuple[str, str]]:
    return [(table.name, str(table.select().order_by(*table.primary_key.columns)
                             .compile(dialect=dialect)))
            for table in db.metadata.sorted_tables]


class Browser:
    """The Flask test client, plus what a person does: sign in, send forms with their token."""


    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        """The CSRF token any page with a form would now carry in this browser: Flask-WTF's
        signature of the raw token kept in the session, put there first if the session has
        none (as the first page with a form does; generate_csrf). Made here rather than read
        from a page: fetching one before every form cost more than the form itself (the home
        page, then /login for a visitor). tests/web/test_csrf.py reads tokens from pages."""
        app = self.client.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with self.client.session_transaction() as session:
            raw = session.setdefault(field, hashlib.sha1(os.urandom(64)).hexdigest())
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, email: str, password: str = "correct horse battery"):
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(app, session):
    return Browser(app.test_client())


@pytest.fixture
def make_browser(app, session):
    """More than one person at once: each browser has its own cookies."""
    return lambda: Browser(app.test_client())


def someone(make_browser, w, who):
    """A browser signed in as `who` of the factories' world (None: a visitor)."""
    browser = make_browser()
    if who:
        browser.login(f"{who}@example.fr")
    return browser
