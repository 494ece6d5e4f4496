"""The `database` marker (tests/conftest.py) that CI's PostgreSQL run selects with
`--database-only`: set on every test that can reach the test database, and only on those."""
from pathlib import Path

from tests.conftest import _names_the_database

TESTS = Path(__file__).parent


def test_a_test_using_the_app_is_marked(request, app):
    assert request.node.get_closest_marker("database") is not None


def test_a_test_using_no_fixture_of_the_database_is_not(request):
    assert request.node.get_closest_marker("database") is None


def test_modules_that_reach_the_database_themselves_are_found():
    # tests/live: through `from tests.live import server` in its conftest.py; the backup
    # test and the job queue's name the variable themselves.
    for module in ("live/test_http_race.py", "live/test_crash_safety.py",
                   "commands/test_backup.py", "ops/test_job_queue.py"):
        assert _names_the_database(TESTS / module), module
    for module in ("domain/test_phases.py", "test_config.py", "web/test_rate_limits.py"):
        assert not _names_the_database(TESTS / module), module
