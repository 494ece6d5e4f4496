"""Two communes' staff saving their envelopes at once never take the cycle past the total
agreed for it (each save alone fits; both together do not). Real threads, real commits, as
tests/concurrency/test_one_ballot.py; meant for PostgreSQL (BUDGET_TEST_DATABASE_URL), where
both transactions used to read the other's old amount and both commit."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from budget.domain.errors import DomainError
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Envelope, User
from budget.services import cycle_setup
from tests import factories
from tests.concurrency.cleanup import empty_every_table

ROUNDS = 20
AGREED = 141_000  # intercommunal 100 000 + Nordville 10 000 + Sudville 30 000, + 1 000


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.PROPOSALS)
        cycle.total_amount = AGREED
        db.session.commit()
        yield w, cycle
        empty_every_table()


def save(app, barrier, user_id: int, envelope_id: int, amount: int) -> str:
    barrier.wait()
    with app.app_context():
        try:
            envelope = db.session.get(Envelope, envelope_id)
            # Read the cycle and its envelopes first, as the page's form does.
            assert sum(e.amount for e in envelope.cycle.envelopes) < AGREED
            cycle_setup.configure_envelope(db.session.get(User, user_id), envelope, amount, {})
        except DomainError:
            return "refused"
        except Exception as error:  # reported by the test
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def test_two_communes_saving_at_once_stay_within_the_total(app, committed):
    w, cycle = committed
    north, south = (factories.envelope(cycle, c) for c in (w.north, w.south))
    jobs = [(w.users["northclerk"].id, north.id, 10_500),
            (w.users["southclerk"].id, south.id, 30_600)]
    cycle_id = cycle.id
    db.session.commit()
    with ThreadPoolExecutor(2) as pool:
        for _ in range(ROUNDS):
            barrier = threading.Barrier(2)
            outcomes = sorted(pool.map(lambda job, b=barrier: save(app, b, *job), jobs))
            total = db.session.scalar(select(func.sum(Envelope.amount))
                                      .where(Envelope.cycle_id == cycle_id))
            assert outcomes == ["ok", "refused"] and total <= AGREED, (outcomes, total)
            for envelope_id, amount in ((north.id, 10_000), (south.id, 30_000)):
                db.session.get(Envelope, envelope_id).amount = amount
            db.session.commit()
