"""During the vote a ballot's rules are frozen, so each server process keeps them a few seconds
instead of reading them for every ballot (services/ballot_speed.py). Before the vote they are read
every time: staff may still change them."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from budget.domain.phases import Phase
from budget.extensions import db
from budget.services import ballot_speed, voting
from tests import factories
from tests.web.test_voting import make_ballot


@pytest.fixture
def w(session):
    return factories.world()


@contextmanager
def rule_reads():
    """How many times the ballot rules were read from the database inside the block."""
    reads = []

    def count(conn, cursor, statement, *args):
        if "FROM envelopes" in statement:
            reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield reads
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def costs(rules) -> dict[int, int]:
    return {pid: cost for envelope in rules for pid, cost in envelope.costs.items()}


def test_during_the_vote_the_rules_are_read_once_per_process(app, w):
    cycle, ids = make_ballot(w)
    with app.test_request_context(), rule_reads() as reads:
        first = voting.ballot_rules(cycle, w.north.id)
        again = voting.ballot_rules(cycle, w.north.id)
        other_commune = voting.ballot_rules(cycle, w.south.id)
    assert len(reads) == 2 and again is first
    assert costs(first)[ids["north1"]] == 6_000 and ids["north1"] not in costs(other_commune)


def test_they_are_read_again_after_a_few_seconds(app, w, monkeypatch):
    cycle, ids = make_ballot(w)
    clock = [1_000.0]
    monkeypatch.setattr(ballot_speed.time, "monotonic", lambda: clock[0])
    with app.test_request_context(), rule_reads() as reads:
        voting.ballot_rules(cycle, w.north.id)
        clock[0] += ballot_speed.RULES_KEPT_SECONDS - 1
        voting.ballot_rules(cycle, w.north.id)
        assert len(reads) == 1
        clock[0] += 2
        voting.ballot_rules(cycle, w.north.id)
    assert len(reads) == 2


@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW, Phase.COUNTING])
def test_outside_the_vote_every_check_reads_them(app, w, phase):
    cycle, ids = make_ballot(w, phase=phase)
    with app.test_request_context(), rule_reads() as reads:
        voting.ballot_rules(cycle, w.north.id)
        db.session.execute(sa.text("UPDATE proposals SET final_cost = 4000 WHERE id = :id"),
                           {"id": ids["north1"]})
        changed = voting.ballot_rules(cycle, w.north.id)
    assert len(reads) == 2 and costs(changed)[ids["north1"]] == 4_000


def test_each_language_keeps_its_own_envelope_names(app, w):
    cycle, _ = make_ballot(w)
    names = {}
    for language in ("fr", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the test's app context would keep the first request's language
            names[language] = {e.name for e in voting.ballot_rules(cycle, w.north.id)}
    assert "Enveloppe intercommunale" in names["fr"]
    assert "Intercommunal envelope" in names["en"]
