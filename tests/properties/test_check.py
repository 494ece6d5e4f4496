"""The property tests' own check: a refused request that wrote is caught, and the starting
state read once per test is read again after a write between examples."""
import pytest
from flask import Response

from budget.extensions import db
from tests import factories
from tests.conftest import table_snapshot
from tests.properties.conftest import STARTING_STATE, check


def refused_after(write):
    def request():
        write()
        return Response("refused", status=400)
    return request


def test_a_refused_request_that_wrote_fails_the_check(scene, session):
    def write():
        factories.user("sneaky@example.fr", scene.w.north)
        db.session.commit()
    assert check(session, refused_after(lambda: None)) == 400
    with pytest.raises(AssertionError):
        check(session, refused_after(write))


def test_a_write_between_examples_renews_the_starting_state(scene, session):
    check(session, refused_after(lambda: None))
    factories.user("between@example.fr", scene.w.north)
    db.session.commit()
    assert check(session, refused_after(lambda: None)) == 400
    assert STARTING_STATE.tables(session) == table_snapshot()
