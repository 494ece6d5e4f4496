"""Load benchmark of ballot casting over HTTP through gunicorn (deploy/gunicorn.conf.py).

    .venv/bin/python bench/vote_load.py [--ballots 600] [--concurrency 32] [--workers 2]
                                        [--threads 1]
    .venv/bin/python bench/vote_load.py --scale-out     # nginx + 2 app servers vs nginx + 1

Default mode: ballots per second through one gunicorn server (2 sync workers, as
deploy/gunicorn.conf.py runs them), against its peer measured in the same run: a bare
route of the same app on the same gunicorn setup (bench/bare_app.py) that reads the same
form, inserts one row and answers with the same page (the receipt). The ratio says what a
ballot costs above "an HTTP request that writes one row" (the rules, the checks, the
participation, the ballot, the receipt email queued). The last line reads
`ballots/s=X p99_ms=Y errors=Z ratio=R`; the run fails (exit 1) when the database does not
hold exactly one ballot per acknowledged answer. --scale-out: the same ballots through nginx
in front of two app servers, against nginx in front of one.

Needs DATABASE_URL (PostgreSQL; the schema and demo data are loaded, voters are added) and
REDIS_URL. Every ballot is a distinct voter (one ballot each), signed in with a cookie made
from the app's secret key (bench/voters.py), so no password hashing is measured.

The client is aiohttp (asyncio), not wrk: each request needs its own voter's cookie and CSRF
token, and every answer is checked (the receipt page with its code), so that an error is counted as
one and not as a fast answer; with wrk that needs Lua scripting and files of tokens. The
client runs on the same machine: on few cores it takes CPU from the servers, which lowers
both figures of a ratio alike.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from sqlalchemy import func, select  # noqa: E402

from bench.servers import VENV_BIN, Stack  # noqa: E402
from bench.voters import Ballot, bench_rows, demo_ballot, make_voters  # noqa: E402
from budget import jobs  # noqa: E402
from budget.extensions import db  # noqa: E402
from budget.models import Ballot as Ballot_  # noqa: E402
from budget.ops.redis import redis_connection  # noqa: E402

BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "18090"))


async def cast_all(url: str, path: str, ballot: Ballot, voters, concurrency: int) -> dict:
    """Every voter sends their ballot once, `concurrency` at a time: answers per second,
    latencies, and the answers that were not the acknowledgement (the receipt page with its
    code: shown in the answer to the vote, never kept in the session cookie)."""
    latencies, errors = [], []
    pending = list(voters)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=120)) as http:
        async def client():
            while pending:
                voter = pending.pop()
                started = time.perf_counter()
                try:
                    async with http.post(url + path, data=ballot.form(voter),
                                         headers={"Cookie": voter.cookie},
                                         allow_redirects=False) as answer:
                        page = await answer.text()
                        if answer.status != 200 or 'class="receipt"' not in page:
                            errors.append(f"{answer.status} "
                                          f"{answer.headers.get('Location', '')}")
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    errors.append(repr(error))
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    acknowledged = len(voters) - len(errors)
    return {"per_second": acknowledged / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[int(0.99 * (len(latencies) - 1))], "count": len(voters),
            "acknowledged": acknowledged, "errors": errors}


def measure(env, ports, nginx_port, path, ballot, voters, args, app=None) -> dict:
    """The first `concurrency` voters warm the servers up; the others are measured."""
    logs = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    with Stack(env, ports, logs, nginx_port=nginx_port, workers=args.workers,
               app=app) as stack:
        warm = asyncio.run(cast_all(stack.url, path, ballot, voters[:args.concurrency],
                                    args.concurrency))
        figures = asyncio.run(cast_all(stack.url, path, ballot, voters[args.concurrency:],
                                       args.concurrency))
    figures["acknowledged_in_all"] = warm["acknowledged"] + figures["acknowledged"]
    return figures


def row(name: str, figures: dict) -> str:
    return (f"{name:<34} {figures['per_second']:>9.1f} /s   p50 {figures['p50'] * 1000:>6.1f} ms"
            f"   p99 {figures['p99'] * 1000:>6.1f} ms   errors {len(figures['errors'])}"
            f"   ({figures['count']} requests)")


def stored_ballots(app, cycle_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Ballot_).where(
            Ballot_.cycle_id == cycle_id))


def check_stored(app, ballot: Ballot, before: int, figures: dict) -> None:
    """Exactly one stored ballot per acknowledged answer: none lost, none extra."""
    stored = stored_ballots(app, ballot.cycle_id) - before
    if stored != figures["acknowledged_in_all"]:
        raise SystemExit(f"{stored} ballots stored for {figures['acknowledged_in_all']} "
                         "acknowledged answers")
    print(f"stored ballots: {stored} = acknowledged answers", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--scale-out", action="store_true")
    args = parser.parse_args()
    env = {"BUDGET_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"],
           "PROXY_COUNT": "1", "FLASK_APP": "budget:create_app", "LOG_LEVEL": "WARNING",
           "GUNICORN_THREADS": str(args.threads), "PUBLIC_URL": "https://budget.bench.test",
           "MAIL_DISABLED": "1"}
    for command in (["db", "upgrade"], ["budget", "demo"]):
        subprocess.run([str(VENV_BIN / "flask"), *command], env={**os.environ, **env},
                       cwd=ROOT, check=True, capture_output=True)
    os.environ.update(env)
    from budget import create_app

    app = create_app("production")
    ballot = demo_ballot(app)
    size = args.ballots + args.concurrency
    tag = secrets.token_hex(3)
    print(f"{args.ballots} ballots, {args.concurrency} at a time, {args.workers} gunicorn "
          f"workers per app server, {args.threads} thread(s) each, {os.cpu_count()} CPUs",
          flush=True)
    if args.scale_out:
        before = stored_ballots(app, ballot.cycle_id)
        one = measure(env, [BASE_PORT + 1], BASE_PORT, ballot.confirm_path, ballot,
                      make_voters(app, ballot, size, f"one-{tag}"), args)
        print(row("ballots, nginx + 1 app server", one), flush=True)
        check_stored(app, ballot, before, one)
        before = stored_ballots(app, ballot.cycle_id)
        two = measure(env, [BASE_PORT + 1, BASE_PORT + 2], BASE_PORT, ballot.confirm_path,
                      ballot, make_voters(app, ballot, size, f"two-{tag}"), args)
        print(row("ballots, nginx + 2 app servers", two))
        check_stored(app, ballot, before, two)
        print(f"ratio two servers / one: {two['per_second'] / one['per_second']:.2f}")
        return
    with app.app_context():
        bench_rows.create(db.engine, checkfirst=True)
    bare = measure(env, [BASE_PORT + 1], None, ballot.bare_path, ballot,
                   make_voters(app, ballot, size, f"bare-{tag}"), args, app="bench.bare_app:app")
    print(row("bare route: one row inserted (peer)", bare), flush=True)
    before = stored_ballots(app, ballot.cycle_id)
    votes = measure(env, [BASE_PORT + 1], None, ballot.confirm_path, ballot,
                    make_voters(app, ballot, size, f"vote-{tag}"), args)
    print(row("ballots, 1 app server", votes))
    for error in sorted(set(votes["errors"]))[:5]:
        print("  error:", error)
    check_stored(app, ballot, before, votes)
    with app.app_context(), app.test_request_context():
        # The receipt emails waiting: no worker sends them here.
        jobs.job_queue().empty()
        redis_connection().delete(app.config["EMAIL_LIST_KEY"])
    ratio = votes["per_second"] / bare["per_second"]
    print(f"ballots/s={votes['per_second']:.1f} p99_ms={votes['p99'] * 1000:.0f} "
          f"errors={len(votes['errors'])} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
