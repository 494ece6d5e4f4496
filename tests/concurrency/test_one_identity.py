"""One census identity, one account; one code, one ballot; paper or online, not both — with real
concurrent connections and real commits (as tests/concurrency/test_one_ballot.py)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from budget.domain.eligibility import Declaration, EligibilityRules, Proof
from budget.domain.errors import DomainError
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BudgetCycle, Commune, EligibilityDeclaration, Participation, User
from budget.services import access_codes, census, eligibility, paper_voters, voting
from tests import factories
from tests.concurrency.cleanup import empty_every_table

THREADS = 8
ROUNDS = 15
BIRTH = date(1980, 3, 2)


@pytest.fixture
def committed(app):
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
        yield w, cycle, park.id
        empty_every_table()


def use_proof(cycle, proof):
    cycle.eligibility = EligibilityRules(proof=proof).as_params()
    db.session.commit()


def in_thread(app, barrier, work) -> str:
    barrier.wait()
    with app.app_context():
        try:
            work()
        except DomainError as error:
            return error.message
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def declare_as(user_id, cycle_id, **proof):
    user, cycle = db.session.get(User, user_id), db.session.get(BudgetCycle, cycle_id)
    eligibility.declare(user, cycle, Declaration(BIRTH, False), **proof)


def race(app, pool, jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    return list(pool.map(lambda job: in_thread(app, barrier, job), jobs))


def test_accounts_racing_for_one_identity_or_one_code_get_one_each(app, committed):
    w, cycle, _ = committed
    use_proof(cycle, Proof.CENSUS)
    rows = "".join(f"ID{n};02/03/1980\n" for n in range(ROUNDS))
    census.import_census(w.users["staff"], cycle, w.north,
                         f"identifiant;date_de_naissance\n{rows}".encode())
    voters = [factories.user(f"racer{n}@example.fr", w.north).id for n in range(THREADS)]
    cycle_id = cycle.id  # threads must not touch this thread's session
    db.session.commit()
    assert_one_claim_per_identity(app, voters, cycle_id)


def assert_one_claim_per_identity(app, voters: list[int], cycle_id: int) -> None:
    """Round after round, every voter claims the same census identity at once: one wins."""
    with ThreadPoolExecutor(THREADS) as pool:
        for round_number in range(ROUNDS):
            outcomes = race(app, pool, [
                lambda v=v, r=round_number: declare_as(v, cycle_id, identifier=f"ID{r}")
                for v in voters])
            assert outcomes.count("ok") == 1, outcomes
            assert set(outcomes) == {"ok", eligibility.ALREADY_USED_IDENTITY}, outcomes
            db.session.execute(EligibilityDeclaration.__table__.delete())
            db.session.commit()


def test_one_person_on_two_communes_lists_gets_one_account_whichever_list(app, committed):
    """Each list has its own entry of the person: accounts of both communes racing, each
    through their own commune's entry, still make one claim (the lock covers every list)."""
    w, cycle, _ = committed
    use_proof(cycle, Proof.CENSUS)
    rows = "".join(f"ID{n};02/03/1980\n" for n in range(ROUNDS))
    for clerk, commune in (("northclerk", w.north), ("southclerk", w.south)):
        census.import_census(w.users[clerk], cycle, commune,
                             f"identifiant;date_de_naissance\n{rows}".encode())
    voters = [factories.user(f"racer{n}@example.fr", (w.north, w.south)[n % 2]).id
              for n in range(THREADS)]
    cycle_id = cycle.id
    db.session.commit()
    assert_one_claim_per_identity(app, voters, cycle_id)


def test_a_paper_vote_and_an_online_ballot_at_the_same_moment_make_one(app, committed):
    w, cycle, park_id = committed
    use_proof(cycle, Proof.ACCESS_CODE)
    codes = access_codes.generate_codes(w.users["staff"], cycle, w.north, ROUNDS)
    staff_id, cycle_id, north_id = w.users["staff"].id, cycle.id, w.north.id
    online_wins = 0
    with ThreadPoolExecutor(2) as pool:
        for round_number, code in enumerate(codes):
            voter_id = factories.user(f"paper{round_number}@example.fr", w.north).id
            db.session.commit()
            declare_as(voter_id, cycle_id, code=code)

            def online(voter_id=voter_id):
                voting.cast(db.session.get(User, voter_id),
                            db.session.get(BudgetCycle, cycle_id), [park_id])

            def paper(code=code):
                paper_voters.record_paper_voter(db.session.get(User, staff_id),
                                                db.session.get(BudgetCycle, cycle_id),
                                                db.session.get(Commune, north_id), code=code)

            outcomes = race(app, pool, [online, paper])
            assert outcomes.count("ok") == 1, outcomes
            assert set(outcomes) - {"ok"} <= {
                eligibility.VOTED_IN_PERSON,
                "This person has already voted online: their paper ballot must not be "
                "counted."}, outcomes
            online_wins += outcomes[0] == "ok"
    assert db.session.scalar(select(func.count()).select_from(Participation)) == online_wins
