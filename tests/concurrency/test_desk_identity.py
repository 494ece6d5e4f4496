"""A FranceConnect identity checked at a polling station's desk and the same identity online,
at the same moment, with real concurrent connections and real commits: one ballot, either
way (the declaration's row lock, or its UNIQUE constraint on the cycle's identity hash)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from budget.domain.eligibility import Declaration, EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import (BudgetCycle, EligibilityDeclaration, KioskUnlock, Participation,
                           PollingStation, User)
from budget.services import (desk_identity, eligibility, identity_hash, kiosks,
                             provider_accounts, voting)
from budget.services.provider_accounts import VerifiedIdentity
from tests import factories
from tests.concurrency.cleanup import empty_every_table
from tests.concurrency.test_one_identity import ROUNDS, race

BIRTH = date(1980, 4, 12)


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        cycle.eligibility = EligibilityRules(proof=Proof.IDENTITY_PROVIDER).as_params()
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
        station = kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie")
        yield w, cycle.id, park.id, station.id
        empty_every_table()


def voter_with_identity(w, n: int) -> tuple[int, str]:
    user_id = factories.user(f"fc{n}@example.fr", w.north).id
    subject = identity_hash.subject_hash("https://fc.example", f"fc-{n}")
    provider_accounts.link_existing(VerifiedIdentity(subject, f"fc{n}@example.fr", True, "",
                                                     BIRTH), factories.PASSWORD)
    # Nothing read after the commit: no SQLite read snapshot stays open across the race.
    return user_id, subject


def at_the_desk(clerk_id, station_id, subject):
    return lambda: desk_identity.issue_unlock(db.session.get(User, clerk_id),
                                              db.session.get(PollingStation, station_id),
                                              subject, BIRTH, False)


def test_a_desk_check_and_an_online_ballot_at_the_same_moment_make_one(app, committed):
    w, cycle_id, park_id, station_id = committed
    clerk_id = w.users["northclerk"].id
    online_wins = 0
    with ThreadPoolExecutor(2) as pool:
        for n in range(ROUNDS):
            voter_id, subject = voter_with_identity(w, n)
            eligibility.declare(db.session.get(User, voter_id),
                                db.session.get(BudgetCycle, cycle_id), Declaration(BIRTH, False))

            def online(voter_id=voter_id):
                voting.cast(db.session.get(User, voter_id),
                            db.session.get(BudgetCycle, cycle_id), [park_id])

            outcomes = race(app, pool, [online, at_the_desk(clerk_id, station_id, subject)])
            assert outcomes.count("ok") == 1, outcomes
            assert set(outcomes) - {"ok"} <= {
                eligibility.VOTED_IN_PERSON,
                "This person has already voted online: they cannot vote again at the kiosk."
            }, outcomes
            online_wins += outcomes[0] == "ok"
    assert db.session.scalar(select(func.count()).select_from(Participation)) == online_wins
    assert db.session.scalar(select(func.count()).select_from(KioskUnlock)) == \
        ROUNDS - online_wins


def test_a_desk_check_and_an_online_declaration_at_the_same_moment_hold_it_once(app,
                                                                               committed):
    w, cycle_id, _, station_id = committed
    clerk_id = w.users["northclerk"].id
    desk_wins = 0
    with ThreadPoolExecutor(2) as pool:
        for n in range(ROUNDS):
            voter_id, subject = voter_with_identity(w, n)

            def declare(voter_id=voter_id):
                eligibility.declare(db.session.get(User, voter_id),
                                    db.session.get(BudgetCycle, cycle_id),
                                    Declaration(BIRTH, False))

            outcomes = race(app, pool, [declare, at_the_desk(clerk_id, station_id, subject)])
            # The desk may win after the declaration too (declared, not voted): both "ok".
            assert outcomes[1] == "ok" or outcomes[1].startswith("This identity was used"), \
                outcomes
            desk_wins += outcomes[1] == "ok"
    held = db.session.scalars(select(EligibilityDeclaration)).all()
    assert len({row.identity_hash for row in held}) == len(held) == ROUNDS
    # Each identity the desk recorded is marked in person, whoever holds it: no online ballot.
    assert sum(row.in_person_at is not None for row in held) == desk_wins
