"""The read-replica part of the scale-out check (scripts/scale_out_check.py): the second app
server reads the public pages from a streaming replica (`.ci/with-replica`), the first reads
everything from the primary.

A replica cannot hold other rows than its primary, so the check holds it still instead: it
pauses the replica's replay (`pg_wal_replay_pause()`), changes a published cycle and one of its
projects on the primary, and compares what each server shows a visitor, then a signed-in
resident, then casts a ballot through the replica-reading server while replay is still
paused; and it sees the replica's own connections (`application_name`).
"""
from __future__ import annotations

import asyncio
import re
import secrets
import time

import psycopg
from sqlalchemy import func, select

from bench import servers
from bench.voters import make_voters

APPLICATION_NAME = "budget-replica-reads"


class Stack(servers.Stack):
    """bench.servers.Stack with settings of their own for some servers (by index)."""

    def __init__(self, *args, server_env: dict[int, dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.server_env = server_env

    def _gunicorn(self, index: int, port: int):
        shared = self.env
        self.env = {**shared, **self.server_env.get(index, {})}
        try:
            return super()._gunicorn(index, port)
        finally:
            self.env = shared


def reading_replica_env(replica_url: str) -> dict[str, str]:
    """The second server's settings: its public pages read from the replica."""
    return {"BUDGET_REPLICA_DATABASE_URL": f"{replica_url}?application_name={APPLICATION_NAME}"}


def _value(url: str, query: str, *args):
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(query, args).fetchone()[0]


def _caught_up(primary_url: str, replica_url: str, seconds: float = 60) -> bool:
    """Whether the replica replays up to the primary's present WAL position in time."""
    target = _value(primary_url, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _value(replica_url, "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0",
                  target):
            return True
        time.sleep(0.2)
    return False


async def _text(http, url: str, cookie: str = "") -> tuple[int, str]:
    async with http.get(url, headers={"Cookie": cookie} if cookie else {}) as answer:
        return answer.status, await answer.text()


async def checks(check, app, stack, http, ballot, cycle_id, primary_url, replica_url) -> None:
    """`check(name, ok, detail)` records each outcome (scripts/scale_out_check.py)."""
    check("replica is a hot standby", _value(replica_url, "SELECT pg_is_in_recovery()"))
    _, ready = await _text(http, stack.server_url(1) + "/readyz")
    check("second server reads from the replica, ready", '"replica":"ok"' in ready,
          ready.strip())
    check("replica caught up with the primary", _caught_up(primary_url, replica_url))
    _value(replica_url, "SELECT pg_wal_replay_pause()::text")
    try:
        path, mark = await _while_paused(check, app, stack, http, ballot, cycle_id, primary_url,
                                         replica_url)
    finally:
        _value(replica_url, "SELECT pg_wal_replay_resume()::text")
    deadline = time.monotonic() + 30
    while True:
        status, page = await _text(http, stack.server_url(1) + path)
        if mark in page or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    check("replay resumed: the replica's server shows the change", mark in page, f"{status}")


async def _while_paused(check, app, stack, http, ballot, cycle_id, primary_url,
                        replica_url) -> tuple[str, str]:
    """(a page changed on the primary, the mark it then shows)"""
    deadline = time.monotonic() + 10
    while _value(replica_url, "SELECT pg_get_wal_replay_pause_state()") != "paused" \
            and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    mark = f"MAJ-{secrets.token_hex(3)}"
    with psycopg.connect(primary_url, autocommit=True) as primary:
        project_id = primary.execute(
            "UPDATE proposals SET title = left(title, 100) || ' ' || %s WHERE id = (SELECT min(id)"
            " FROM proposals WHERE cycle_id = %s) RETURNING id", (mark, cycle_id)).fetchone()[0]
        primary.execute("UPDATE budget_cycles SET title = left(title, 100) || ' ' || %s "
                        "WHERE id = %s", (mark, cycle_id))
    # The published results' figures and project titles come from the stored tally run (as
    # counted): the results page shows the change through the cycle's title, the API's
    # results none, so the cycle's JSON stands for the API.
    pages = [f"/cycles/{cycle_id}/results", f"/cycles/{cycle_id}", f"/proposals/{project_id}",
             f"/api/v1/cycles/{cycle_id}", f"/api/v1/cycles/{cycle_id}/proposals"]
    for path in pages:
        (on_primary, primary_page), (on_replica, replica_page) = await asyncio.gather(
            _text(http, stack.server_url(0) + path), _text(http, stack.server_url(1) + path))
        check(f"while replay is paused, {path} shows a visitor the replica's copy",
              on_primary == on_replica == 200 and mark in primary_page
              and mark not in replica_page,
              f"{on_primary} from the primary's server, {on_replica} from the replica's")
    resident = make_voters(app, ballot, 1, f"replica-{secrets.token_hex(3)}")[0]
    status, page = await _text(http, stack.server_url(1) + f"/proposals/{project_id}",
                               resident.cookie)
    check("a signed-in resident reads the primary on the replica's server",
          status == 200 and mark in page, f"{status}")
    await _ballot_to_primary(check, app, stack, http, ballot, resident)
    connections = _value(replica_url, "SELECT count(*) FROM pg_stat_activity WHERE "
                         "application_name = %s", APPLICATION_NAME)
    check("the replica serves the second server's connections", connections > 0,
          f"{connections} connections named {APPLICATION_NAME}")
    return f"/proposals/{project_id}", mark


async def _ballot_to_primary(check, app, stack, http, ballot, voter) -> None:
    async with http.post(stack.server_url(1) + ballot.confirm_path, data=ballot.form(voter),
                         headers={"Cookie": voter.cookie}, allow_redirects=False) as answer:
        status, page = answer.status, await answer.text()
    receipt = re.search(r'class="receipt"[^>]*>([^<]+)<', page)
    with app.app_context():
        from budget.extensions import db
        from budget.models import Participation

        stored = db.session.scalar(select(func.count()).select_from(Participation)
                                   .where(Participation.user_id == voter.user_id))
    check("a ballot through the replica's server goes to the primary, replay paused",
          status == 200 and receipt is not None and stored == 1,
          f"{status}, {stored} participation on the primary")
