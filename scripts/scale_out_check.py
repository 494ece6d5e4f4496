"""Scale-out check, run by .ci/scale-out: nginx on loopback in front of two gunicorn servers,
both on the same PostgreSQL and Redis, plus one job worker.

Checks: both servers serve through nginx; the same voter hitting both servers at once gets
exactly one ballot (how Decidim #12553 happened); rate limits are shared; a server killed
mid-run loses no acknowledged ballot and the other keeps serving; background jobs run on the
worker, are shown to the staff member who started them only, and a failing job is retried
then reported; a large tally runs on the worker; metrics are hidden from the public; logs
are JSON with a request id; the second server's public pages come from a read replica while
its ballots go to the primary (scripts/scale_out_replica.py).

Needs DATABASE_URL (an empty PostgreSQL database; migrations and demo data are loaded here),
REDIS_URL, and REPLICA_DATABASE_URL (the same database on a streaming replica of its server).
Ends with "N passed, N failed"; exit status 1 on any failure.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.servers import VENV_BIN  # noqa: E402
from bench.voters import Ballot, demo_ballot, make_voters, staff_member  # noqa: E402
from scripts import scale_out_replica  # noqa: E402

BASE_PORT = int(os.environ.get("SCALE_OUT_BASE_PORT", "18080"))
RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def flask(*args: str, env: dict) -> str:
    done = subprocess.run([str(VENV_BIN / "flask"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout


def receipt_code(page: str | None) -> str | None:
    """The receipt code shown in the answer to a successful confirm (200)."""
    found = re.search(r'class="receipt"[^>]*>([^<]+)<', page or "")
    return found.group(1).strip() if found else None


async def confirm(http, url, ballot: Ballot, voter) -> tuple[int, str, str, str]:
    """POST one ballot: (status, page, Location, upstream)."""
    async with http.post(url + ballot.confirm_path, data=ballot.form(voter),
                         headers={"Cookie": voter.cookie}, allow_redirects=False) as answer:
        page = await answer.text()
        return (answer.status, page, answer.headers.get("Location", ""),
                answer.headers.get("X-Upstream", ""))


async def double_votes(app, stack, ballot, http) -> None:
    voters = make_voters(app, ballot, 40, f"double-{secrets.token_hex(3)}")
    targets = [stack.server_url(0), stack.server_url(1), stack.url, stack.url]
    answers = await asyncio.gather(*(confirm(http, url, ballot, voter)
                                     for voter in voters for url in targets))
    statuses = {status for status, *_ in answers}
    # 200: the vote and its receipt; 302: already voted, sent to the receipt page.
    check("same voter on both servers at once: no error", statuses <= {200, 302},
          f"{statuses}")
    codes = [receipt_code(page) for _, page, _, _ in answers]
    fresh = [code for code in codes if code]
    check("same voter on both servers at once: one receipt each",
          len(fresh) == len(voters), f"{len(fresh)} receipts for {len(voters)} voters")
    with app.app_context():
        from budget.extensions import db
        from budget.models import Participation

        stored = db.session.scalar(select(func.count()).select_from(Participation).where(
            Participation.user_id.in_([v.user_id for v in voters])))
    check("same voter on both servers at once: one ballot each", stored == len(voters),
          f"{stored} participations for {len(voters)} voters")


async def shared_rate_limit(stack, http) -> None:
    email = f"limit-{secrets.token_hex(3)}@load.test"
    statuses, upstreams = [], set()
    async with http.get(stack.url + "/login") as page:
        cookie = page.cookies["session"].value
        text = await page.text()
    token = text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    for _ in range(11):
        async with http.post(stack.url + "/login", allow_redirects=False,
                             headers={"Cookie": f"session={cookie}"},
                             data={"csrf_token": token, "email": email,
                                   "password": "not the password"}) as answer:
            statuses.append(answer.status)
            upstreams.add(answer.headers.get("X-Upstream"))
    check("rate limit shared by both servers", statuses == [422] * 10 + [429] and
          len(upstreams) == 2, f"{statuses} from {sorted(upstreams)}")


async def kill_mid_run(app, stack, ballot, http) -> None:
    voters = make_voters(app, ballot, 240, f"crash-{secrets.token_hex(3)}")
    answers: dict[int, tuple] = {}
    acknowledged = 0
    killed_at = None
    queue = list(voters)

    async def cast_from_queue():
        nonlocal acknowledged, killed_at
        while queue:
            if killed_at is not None:  # what follows the kill is sent over a second later, so
                # that "the other keeps serving" always has ballots to judge on a fast machine
                await asyncio.sleep(max(0.0, killed_at + 1.1 - time.monotonic()))
                if not queue:  # the others took the last voters meanwhile
                    break
            voter = queue.pop()
            started = time.monotonic()
            try:
                answer = await confirm(http, stack.url, ballot, voter)
            except aiohttp.ClientError as error:
                answer = (0, None, repr(error), "")
            answers[voter.user_id] = (started, *answer)
            if answer[0] == 200:
                acknowledged += 1
            if acknowledged >= 60 and killed_at is None:
                killed_at = time.monotonic()
                stack.kill(0)

    await asyncio.gather(*(cast_from_queue() for _ in range(8)))
    codes = {uid: receipt_code(a[2]) for uid, a in answers.items() if a[1] == 200}
    with app.app_context():
        from budget.domain.receipts import receipt_hash
        from budget.extensions import db
        from budget.models import Ballot as StoredBallot
        from budget.models import Participation
        from budget.services import ballot_box

        ballot_box.mix()  # what still waits in the inbox goes into the box, as the timer does
        hashes = set(db.session.scalars(select(StoredBallot.receipt_hash).where(
            StoredBallot.cycle_id == ballot.cycle_id)))
        lost = [uid for uid, code in codes.items() if receipt_hash(code) not in hashes]
        ballots = db.session.scalar(select(func.count()).select_from(StoredBallot)
                                    .where(StoredBallot.cycle_id == ballot.cycle_id))
        voted = db.session.scalar(select(func.count()).select_from(Participation)
                                  .where(Participation.cycle_id == ballot.cycle_id))
    check("server killed mid-run: no acknowledged ballot lost", not lost and len(codes) > 60,
          f"{len(codes)} acknowledged, {len(lost)} lost")
    check("server killed mid-run: ballots and participations agree", ballots == voted,
          f"{ballots} ballots, {voted} participations")
    late = [a for a in answers.values() if killed_at and a[0] > killed_at + 1]
    late_ok = [a for a in late if a[1] == 200]
    check("server killed mid-run: the other keeps serving", late and len(late_ok) == len(late),
          f"{len(late_ok)} of {len(late)} ballots sent 1 s after the kill acknowledged, "
          f"by {sorted({a[4] for a in late})}")
    unanswered = [v for v in voters if answers[v.user_id][1] != 200]
    retried = await asyncio.gather(*(confirm(http, stack.url, ballot, v) for v in unanswered))
    # 200: voted now. 302 to the receipt page: the cut-off request had been committed before the
    # kill (its answer was lost), so the voter is already counted: never an error either way.
    check("server killed mid-run: voters whose ballot failed can vote again",
          all(status == 200 or (status == 302 and location.endswith("/vote/receipt"))
              for status, _, location, _ in retried), f"{len(unanswered)} retried: "
          f"{sorted(status for status, *_ in retried)}")


async def wait_for_job(http, stack, staff, job_path, words: str, seconds=40) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        async with http.get(stack.url + job_path, headers={"Cookie": staff.cookie}) as page:
            text = await page.text()
        if words in text:
            return text
        await asyncio.sleep(0.5)
    return text


async def jobs(app, stack, http, env, cycle_id) -> None:
    staff, other = staff_member(app), staff_member(app, "admin@demo.budget.fr")
    async with http.post(f"{stack.url}/staff/cycles/{cycle_id}/exports/pdf",
                         data={"csrf_token": staff.csrf_token}, allow_redirects=False,
                         headers={"Cookie": staff.cookie}) as answer:
        job_path = answer.headers.get("Location", "")
    await wait_for_job(http, stack, staff, job_path, "/download")
    async with http.get(stack.url + job_path + "/download",
                        headers={"Cookie": staff.cookie}) as download:
        body = await download.read()
    check("PDF report made by the worker, downloaded by who asked", body.startswith(b"%PDF"),
          f"{job_path}: {len(body)} bytes")
    async with http.get(stack.url + job_path, headers={"Cookie": other.cookie}) as page:
        check("another staff member does not see that job", page.status == 404,
              f"{page.status}")
    with app.app_context():
        from budget import jobs as job_queue

        failing = job_queue.enqueue("export_report", 10**9, 10**9, "pdf", False,
                                    started_by=staff.user_id)
    page = await wait_for_job(http, stack, staff, f"/staff/jobs/{failing}", "échoué")
    listed = flask("budget", "jobs", env=env)
    worker_log = (stack.logs / "worker.log").read_text()
    retries = worker_log.count(f"job {failing} (export_report) failed, ")
    check("a failing job is retried, then reported", "échoué" in page and failing in listed
          and retries == 2 and f"job {failing} (export_report) failed for good" in worker_log,
          f"{retries} retries; " + (listed.strip().splitlines()[-1] if listed.strip() else ""))


async def observability(stack, http, env) -> None:
    async with http.get(stack.url + "/metrics") as answer:
        check("metrics hidden from the public", answer.status == 404, f"{answer.status}")
    async with http.get(stack.server_url(1) + "/metrics",
                        headers={"Authorization": f"Bearer {env['METRICS_TOKEN']}"}) as answer:
        text = await answer.text()
    ballots = [line for line in text.splitlines() if line.startswith("budget_ballots_cast_total")]
    failed = [line for line in text.splitlines() if line.startswith('budget_jobs{state="failed"}')]
    check("metrics: ballots cast and failed jobs", bool(ballots) and
          float(ballots[0].split()[-1]) > 0 and bool(failed) and float(failed[0].split()[-1]) >= 1,
          f"{ballots[:1]} {failed[:1]}")
    lines = (stack.logs / "server-1.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    access = [r for r in records if r.get("logger") == "gunicorn.access"]
    check("logs are JSON lines with a request id", len(records) == len(lines) and access and
          all(r.get("request_id") for r in access), f"{len(lines)} lines, {len(access)} requests")


async def large_tally(app, stack, http, ballot) -> None:
    """With TALLY_JOB_MIN_BALLOTS=1 every tally counts as large: it runs on the worker."""
    staff = staff_member(app)
    for action in ("close", "tally"):
        async with http.post(f"{stack.url}/staff/cycles/{ballot.cycle_id}/{action}",
                             data={"csrf_token": staff.csrf_token}, allow_redirects=False,
                             headers={"Cookie": staff.cookie}) as answer:
            location = answer.headers.get("Location", "")
    page = await wait_for_job(http, stack, staff, location, "Le dépouillement est terminé")
    with app.app_context():
        from budget.extensions import db
        from budget.models import Ballot as StoredBallot
        from budget.models import TallyRun

        counted = db.session.scalar(select(TallyRun.result).where(
            TallyRun.cycle_id == ballot.cycle_id))  # read now: the column is deferred
        counted = counted["ballots"] if counted is not None else None
        stored = db.session.scalar(select(func.count()).select_from(StoredBallot)
                                   .where(StoredBallot.cycle_id == ballot.cycle_id))
    check("tally of a large cycle run by the worker, over every ballot",
          "/staff/jobs/" in location and "Le dépouillement est terminé" in page
          and counted == stored, f"{counted} of {stored} ballots")


async def read_replica(app, stack, http, ballot, cycle_id) -> None:
    replica_url = os.environ.get("REPLICA_DATABASE_URL")
    check("read replica given (REPLICA_DATABASE_URL, .ci/with-replica)", bool(replica_url))
    if replica_url:
        await scale_out_replica.checks(check, app, stack, http, ballot, cycle_id,
                                       os.environ["DATABASE_URL"], replica_url)


def prepare(env: dict) -> tuple[object, Ballot, int]:
    flask("db", "upgrade", env=env)
    flask("budget", "demo", env=env)
    cycle_id = int(flask("budget", "import-pb", str(ROOT / "tests/data/Netherlands_Assen_2024.pb"),
                         env=env).strip().splitlines()[-1])
    flask("budget", "tally", str(cycle_id), "--publish", env=env)
    os.environ.update(env)
    from budget import create_app

    app = create_app("production")
    return app, demo_ballot(app), cycle_id


async def run_checks(app, stack, ballot, env, cycle_id) -> None:
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.get(stack.url + "/readyz") as first, \
                http.get(stack.url + "/readyz") as second:
            upstreams = {first.headers["X-Upstream"], second.headers["X-Upstream"]}
            check("nginx sends requests to both servers", len(upstreams) == 2, f"{upstreams}")
        await double_votes(app, stack, ballot, http)
        await shared_rate_limit(stack, http)
        await jobs(app, stack, http, env, cycle_id)
        await observability(stack, http, env)
        await read_replica(app, stack, http, ballot, cycle_id)
        await kill_mid_run(app, stack, ballot, http)  # it leaves one server
        await large_tally(app, stack, http, ballot)


def main() -> int:
    env = {"BUDGET_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"],
           "METRICS_TOKEN": secrets.token_hex(16), "PROXY_COUNT": "1",
           "JOB_RETRY_INTERVALS": "1,1", "TALLY_JOB_MIN_BALLOTS": "1",
           "FLASK_APP": "budget:create_app", "PUBLIC_URL": "https://budget.scale-out.test",
           "MAIL_DISABLED": "1"}
    app, ballot, cycle_id = prepare(env)
    logs = Path(tempfile.mkdtemp(prefix="budget-scale-out-"))
    print(f"logs in {logs}", flush=True)
    ports = [BASE_PORT + 1, BASE_PORT + 2]
    worker_log = open(logs / "worker.log", "ab")
    worker = subprocess.Popen([str(VENV_BIN / "flask"), "budget", "worker"], cwd=ROOT,
                              env={**os.environ, **env}, stdout=worker_log, stderr=worker_log)
    try:
        replica_url = os.environ.get("REPLICA_DATABASE_URL")
        server_env = {1: scale_out_replica.reading_replica_env(replica_url)} if replica_url else {}
        with scale_out_replica.Stack(env, ports, logs, nginx_port=BASE_PORT,
                                     server_env=server_env) as stack:
            asyncio.run(run_checks(app, stack, ballot, env, cycle_id))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    failed = sum(1 for _, ok, _ in RESULTS if not ok)
    print(f"{len(RESULTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
