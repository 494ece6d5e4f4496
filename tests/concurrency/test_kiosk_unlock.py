"""One unlock, one ballot, with real concurrent connections and real commits; and a kiosk
whose process dies in the middle of casting leaves no ballot and an unlock that serves again.

These tests commit for real (threads and processes need their own connections) and empty the
tables afterwards, as tests/concurrency/test_one_ballot.py does.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from budget.extensions import db
from budget.domain.eligibility import Proof
from budget.domain.errors import DomainError
from budget.models import (Ballot, InboxBallot, Kiosk, KioskUnlock, PollingStation, Proposal,
                           User)
from budget.models.time import utcnow
from budget.services import ballot_box, census, kiosk_desk, kiosk_voting, kiosks
from budget.services.kiosk_voting import KioskLocked
from tests import factories
from tests.concurrency.cleanup import empty_every_table
from tests.services.eligibility_helpers import cycle_with

THREADS = 16
ROUNDS = 30
VOTERS = ROUNDS + 5


@pytest.fixture
def committed(app):
    """A census cycle in its vote with VOTERS people on Nordville's list, a station and two
    kiosks of it: (clerk id, station id, kiosk ids, park id)."""
    with app.app_context():
        w = factories.world()
        cycle = cycle_with(w, Proof.CENSUS)
        lines = "".join(f"K-{n};02/03/1980\n" for n in range(VOTERS))
        census.import_census(w.users["northclerk"], cycle, w.north,
                             f"identifiant;date_de_naissance\n{lines}".encode())
        station = kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie")
        tokens = [kiosks.open_kiosk(w.users["northclerk"], station) for _ in range(2)]
        park_id = db.session.scalar(select(Proposal.id).where(Proposal.cycle_id == cycle.id))
        yield (w.users["northclerk"].id, station.id,
               [kiosks.live_kiosk(t).id for t in tokens], park_id)
        empty_every_table()


def issue(clerk_id: int, station_id: int, number: int) -> str:
    """The desk checks voter K-<number> and hands them an unlock code."""
    return kiosk_desk.issue_unlock(db.session.get(User, clerk_id),
                                   db.session.get(PollingStation, station_id),
                                   identifier=f"K-{number}", birth_date=date(1980, 3, 2))


def in_thread(app, barrier, work):
    barrier.wait()  # before taking a connection: a waiting thread must not hold one
    with app.app_context():
        try:
            work()
        except KioskLocked:
            return "locked"
        except Exception as error:  # the test reports any other outcome
            return f"error: {error!r}"
        finally:
            db.session.remove()
        return "ok"


def kiosk_ballots() -> int:
    ballot_box.mix()
    return db.session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.channel == "kiosk")) + db.session.scalar(
        select(func.count()).select_from(InboxBallot))


def test_one_unlock_confirmed_many_times_at_once_makes_one_ballot(app, committed):
    clerk_id, station_id, (kiosk_id, _other), park_id = committed

    def cast():
        kiosk_voting.cast(db.session.get(Kiosk, kiosk_id), [park_id])

    with ThreadPoolExecutor(THREADS) as pool:
        for round_number in range(ROUNDS):
            code = issue(clerk_id, station_id, round_number)
            kiosk_voting.unlock(db.session.get(Kiosk, kiosk_id), code)
            db.session.remove()
            barrier = threading.Barrier(THREADS)
            outcomes = list(pool.map(lambda _, barrier=barrier: in_thread(app, barrier, cast),
                                     range(THREADS)))
            assert sorted(set(outcomes)) == ["locked", "ok"], outcomes
            assert outcomes.count("ok") == 1, round_number
    assert kiosk_ballots() == ROUNDS
    assert db.session.scalar(select(func.count()).select_from(KioskUnlock).where(
        KioskUnlock.used_at.is_not(None))) == ROUNDS


def test_one_code_typed_on_two_kiosks_at_once_opens_one(app, committed):
    clerk_id, station_id, kiosk_ids, park_id = committed
    with ThreadPoolExecutor(2) as pool:
        for round_number in range(ROUNDS):
            code = issue(clerk_id, station_id, round_number)
            db.session.remove()
            barrier = threading.Barrier(2)

            def unlock_on(kiosk_id, code=code):
                try:
                    kiosk_voting.unlock(db.session.get(Kiosk, kiosk_id), code)
                except DomainError as error:
                    raise KioskLocked(error.message) from None

            outcomes = list(pool.map(
                lambda k, barrier=barrier, unlock_on=unlock_on: in_thread(
                    app, barrier, lambda: unlock_on(k)), kiosk_ids))
            assert sorted(outcomes) == ["locked", "ok"], outcomes
            holder = kiosk_ids[outcomes.index("ok")]
            kiosk_voting.cast(db.session.get(Kiosk, holder), [park_id])
    assert kiosk_ballots() == ROUNDS


CRASHING_KIOSK = textwrap.dedent("""
    import os, signal, sys
    from budget.app import create_app
    from budget.extensions import db
    from budget.models import Kiosk
    from budget.services import kiosk_voting

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1],
                     ELIGIBILITY_KEY=sys.argv[2])
    with app.app_context():
        def die(*args, **kwargs):  # the unlock is marked used, the ballot not yet written
            os.kill(os.getpid(), signal.SIGKILL)
        kiosk_voting.voting.selection_rows = die
        kiosk_voting.cast(db.session.get(Kiosk, int(sys.argv[3])), [int(sys.argv[4])])
""")


def test_a_kiosk_killed_mid_ballot_leaves_no_ballot_and_a_reusable_unlock(app, committed):
    clerk_id, station_id, (kiosk_id, other_id), park_id = committed
    code = issue(clerk_id, station_id, 0)
    kiosk_voting.unlock(db.session.get(Kiosk, kiosk_id), code)
    db.session.remove()
    killed = subprocess.run(
        [sys.executable, "-c", CRASHING_KIOSK, app.config["SQLALCHEMY_DATABASE_URI"],
         app.config["ELIGIBILITY_KEY"], str(kiosk_id), str(park_id)],
        capture_output=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert kiosk_ballots() == 0
    unlock = db.session.scalar(select(KioskUnlock))
    assert unlock.used_at is None
    # The dead kiosk's hold lapses after the idle time; then another kiosk opens the ballot.
    with pytest.raises(DomainError, match="another kiosk"):
        kiosk_voting.unlock(db.session.get(Kiosk, other_id), code)
    unlock = db.session.scalar(select(KioskUnlock))
    unlock.held_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    kiosk_voting.unlock(db.session.get(Kiosk, other_id), code)
    kiosk_voting.cast(db.session.get(Kiosk, other_id), [park_id])
    assert kiosk_ballots() == 1


def written_meanwhile(app, clerk_id: int, station_id: int, number: int) -> None:
    """Another connection writes and commits (the desk hands out a code), in its own thread."""
    def desk():
        with app.app_context():
            try:
                issue(clerk_id, station_id, number)
            finally:
                db.session.remove()

    worker = threading.Thread(target=desk)
    worker.start()
    worker.join()


def test_the_idle_lock_and_keep_awake_succeed_when_another_connection_wrote_meanwhile(
        app, committed):
    """A kiosk's request reads its kiosk first (device.py), then keeps it awake or locks it
    (static/kiosk.js's timers). On SQLite a transaction that has read cannot write once another
    connection has written since: it failed at once ("database is locked"), and the kiosk showed
    the busy page with the platform's links instead of locking itself. Both take the write lock
    before they read what they change."""
    clerk_id, station_id, (kiosk_id, _other), _park = committed
    kiosk_voting.unlock(db.session.get(Kiosk, kiosk_id), issue(clerk_id, station_id, 0))
    db.session.remove()

    kiosk = db.session.get(Kiosk, kiosk_id)
    written_meanwhile(app, clerk_id, station_id, 1)
    held = kiosk_voting.keep_awake(kiosk)
    assert held.held_until > utcnow()

    kiosk = db.session.get(Kiosk, kiosk_id)
    written_meanwhile(app, clerk_id, station_id, 2)
    kiosk_voting.lock(kiosk)
    assert kiosk_voting.held_unlock(db.session.get(Kiosk, kiosk_id)) is None
