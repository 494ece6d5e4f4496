"""A published count includes every validated paper ballot: a tally started while a batch is
being validated waits for it, with real connections and real commits.

On main before this test, a tally started while the validation was still checking its ballots
counted the online ballots only, and that run could be published.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BudgetCycle, PaperBatch, TallyRun, User
from budget.models.time import utcnow
from budget.services import paper, tally, voting
from tests import factories
from tests.concurrency.cleanup import empty_every_table

PAPER_BALLOTS = 30


@pytest.fixture
def typed_batch(app):
    """A closed vote with one online ballot and a batch of PAPER_BALLOTS typed twice, ready to
    be validated; yields (cycle id, batch id)."""
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"]).id
        voting.cast(w.users["alice"], cycle, [park])
        batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie",
                                   PAPER_BALLOTS)
        for person in ("northclerk", "staff"):
            paper.start_entry(w.users[person], batch)
            for position in range(1, PAPER_BALLOTS + 1):
                paper.enter_ballot(w.users[person], batch, position, "valid", [park])
        cycle.vote_end = utcnow() - timedelta(minutes=1)
        db.session.commit()
        ids = cycle.id, batch.id
        db.session.remove()
        yield ids
        empty_every_table()


def person(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def test_a_tally_started_during_a_validation_counts_its_ballots(app, typed_batch, monkeypatch):
    cycle_id, batch_id = typed_batch
    checking = threading.Event()
    slow_check = voting.check_choices

    def check_slowly(*args, **kwargs):  # the validation is busy checking its ballots
        checking.set()
        time.sleep(0.02)
        return slow_check(*args, **kwargs)

    monkeypatch.setattr(voting, "check_choices", check_slowly)
    outcome = {}

    def validate():
        with app.app_context():
            try:
                outcome["validated"] = paper.validate(person("admin@example.fr"),
                                                      db.session.get(PaperBatch, batch_id))
            finally:
                db.session.remove()

    def run_tally():
        with app.app_context():
            try:
                run = tally.run_tally(person("staff@example.fr"),
                                      db.session.get(BudgetCycle, cycle_id))
                outcome["run"] = run.id
            finally:
                db.session.remove()

    validating = threading.Thread(target=validate)
    validating.start()
    assert checking.wait(10)
    tallying = threading.Thread(target=run_tally)
    tallying.start()
    validating.join(60)
    tallying.join(60)
    assert outcome.get("validated") == PAPER_BALLOTS
    run = db.session.get(TallyRun, outcome["run"])
    assert run.result["ballots"] == 1 + PAPER_BALLOTS
    assert run.result["ballots_by_channel"] == {"online": 1, "paper": PAPER_BALLOTS}
