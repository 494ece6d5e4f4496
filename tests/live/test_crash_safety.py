"""Crash safety: while voters cast ballots through gunicorn, processes are killed with SIGKILL
again and again (a worker in the middle of its requests, and every few kills the whole server,
which is then restarted). Afterwards every acknowledged ballot is there, every participation
has its ballot and the reverse, and no ballot appears that nobody cast."""
from __future__ import annotations

import http.client
import os
import random
import signal
import threading
import time
from collections import Counter
from itertools import count

from sqlalchemy import func, insert, select

from budget.extensions import db
from budget.models import Ballot, BallotSelection, Participation, User
from budget.models.time import utcnow
from budget.services import ballot_box
from tests import factories
from tests.live import server

KILLS = 60
WHOLE_SERVER_EVERY = 25  # every 25th kill takes down the master and all its workers
VOTERS = 2_500  # more than the kills let through, so that voting never stops
CLIENTS = 8


def make_voters(live_world) -> list[tuple[int, str, str]]:
    """(user id, session cookie, CSRF token) of VOTERS residents of the voting commune."""
    with live_world.app.app_context():
        db.session.execute(insert(User), [
            {"email": f"voter{n}@example.fr", "password_hash": factories._HASH,
             "display_name": f"voter{n}", "home_commune_id": live_world.commune_id,
             "email_verified_at": utcnow()}
            for n in range(VOTERS)])
        db.session.commit()
        users = db.session.scalars(select(User).where(User.email.like("voter%"))).all()
        return [(user.id, *server.signed_in_cookie(live_world.app, user)) for user in users]


class Voting:
    """Client threads casting one ballot per voter, each voter once, recording what the
    server acknowledged. A refused connection (server down) is retried: it never reached
    the application. Anything else that breaks a request leaves that voter's fate unknown."""

    def __init__(self, live_world, live_server, voters):
        self.world, self.server = live_world, live_server
        self.voters = voters
        self.next_voter = count()
        self.attempted, self.acknowledged, self.unanswered = set(), set(), 0
        self.server_errors: list[str] = []
        self.statuses: Counter = Counter()
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def wait_for_answers(self, number: int, timeout: float = 30) -> None:
        target = sum(self.statuses.values()) + number
        deadline = time.monotonic() + timeout
        while sum(self.statuses.values()) < target:
            assert time.monotonic() < deadline, "the server stopped answering"
            time.sleep(0.005)

    def run(self) -> None:
        path = f"/cycles/{self.world.cycle_id}/vote/confirm"
        while not self.stop.is_set():
            number = next(self.next_voter)
            if number >= len(self.voters):
                return
            user_id, cookie, token = self.voters[number]
            with self.lock:
                self.attempted.add(user_id)
            while not self.stop.is_set():
                try:
                    reply = server.request(self.server.port, "POST", path, {
                        "csrf_token": token, "project": [self.world.project_id]},
                        cookie=cookie, timeout=10)
                except ConnectionRefusedError:
                    time.sleep(0.02)
                    continue
                except (OSError, http.client.HTTPException):
                    with self.lock:
                        self.unanswered += 1
                    break
                acknowledged = reply.status == 200 and server.receipt_code(reply.text)
                with self.lock:
                    self.statuses[reply.status] += 1
                    if reply.status >= 500:
                        self.server_errors.append(reply.text)
                    if acknowledged:
                        self.acknowledged.add(user_id)
                break


def test_killed_servers_lose_no_acknowledged_ballot_and_invent_none(live_world, tmp_path):
    voters = make_voters(live_world)
    live_server = server.Server(live_world.url, tmp_path, workers=2, threads=4)
    live_server.start()
    voting = Voting(live_world, live_server, voters)
    clients = [threading.Thread(target=voting.run) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    started, kills, restarting = time.monotonic(), 0, 0.0
    try:
        while kills < KILLS:
            voting.wait_for_answers(3)  # each kill strikes a server that is working
            time.sleep(random.uniform(0, 0.1))
            kills += 1
            if kills % WHOLE_SERVER_EVERY == 0:
                restart = time.monotonic()
                live_server.kill()
                live_server.start()
                restarting += time.monotonic() - restart
            else:
                os.kill(random.choice(live_server.worker_pids()), signal.SIGKILL)
    finally:
        live_server.kill()  # the last kill: the checks below read what the crash left
        voting.stop.set()
        for client in clients:
            client.join()
    print(f"\n{server.dialect(live_world.url)}: {kills} kills in "
          f"{time.monotonic() - started:.1f} s ({restarting:.1f} s restarting), "
          f"{len(voting.attempted)} ballots attempted, "
          f"{len(voting.acknowledged)} acknowledged, {voting.unanswered} requests cut off; "
          f"HTTP statuses {dict(voting.statuses)}")
    check_ballot_box(live_world, voting)


def check_ballot_box(live_world, voting: Voting) -> None:
    with live_world.app.app_context():
        db.engine.dispose()  # a fresh connection, as a restarted server would open
        cycle_id = live_world.cycle_id
        voted = set(db.session.scalars(select(Participation.user_id).where(
            Participation.cycle_id == cycle_id)))
        # What still waits in the inbox goes into the box now, as the timer would do.
        ballot_box.mix()
        ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(
            Ballot.cycle_id == cycle_id))
        selections = db.session.scalar(select(func.count()).select_from(BallotSelection)
                                       .join(Ballot).where(Ballot.cycle_id == cycle_id))
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
    print(f"{len(voted)} participations and {ballots} ballots in the box")
    assert voting.server_errors == []
    assert len(voting.acknowledged) >= 150, "too few ballots went through to test anything"
    assert voting.acknowledged <= voted, "an acknowledged ballot was lost"
    assert voted <= voting.attempted, "someone who never voted has a participation"
    assert ballots == len(voted), "a participation without its ballot, or the reverse"
    assert selections == ballots, "a ballot without its choice"
    assert ballots <= len(voting.attempted)
