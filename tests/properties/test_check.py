"""The property tests' own check: a refused request that wrote is caught, and the starting
state read once per test is read again after a write between examples."""
import pytest
import sqlalchemy as sa
from flask import Response

from budget.extensions import db
from budget.models import User
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


def test_a_write_left_pending_in_the_session_is_caught_too(scene, session):
    def add():
        db.session.add(User(email="pending@example.fr", password_hash="x", display_name="p"))
    with pytest.raises(AssertionError):
        check(session, refused_after(add))


def test_only_an_example_that_sent_a_write_reads_the_tables_again(scene, session):
    check(session, refused_after(lambda: db.session.execute(sa.select(User)).all()))
    assert not STARTING_STATE.example_wrote
    check(session, refused_after(lambda: db.session.execute(
        sa.update(User).where(User.id == -1).values(display_name="x"))))
    assert STARTING_STATE.example_wrote


def test_a_write_between_examples_renews_the_starting_state(scene, session):
    check(session, refused_after(lambda: None))
    factories.user("between@example.fr", scene.w.north)
    db.session.commit()
    assert check(session, refused_after(lambda: None)) == 400
    assert STARTING_STATE.tables(session) == table_snapshot()
