"""Load benchmark of ballot casting over HTTP through gunicorn (deploy/gunicorn.conf.py).

    .venv/bin/python bench/vote_load.py [--ballots 600] [--concurrency 16] [--workers N]
    .venv/bin/python bench/vote_load.py --scale-out     # nginx + 2 app servers vs nginx + 1

Default mode: ballots per second through one gunicorn server, as a ratio against its peer
measured in the same run, a trivial Flask route (bench/bare_app.py) on the same gunicorn
setup that reads the same form: the ratio says what a ballot costs above the bare HTTP
round trip (session, CSRF, rules, one PostgreSQL transaction). --scale-out: the same ballots
through nginx in front of two app servers, against nginx in front of one.

Needs DATABASE_URL (PostgreSQL; the schema and demo data are loaded, voters are added) and
REDIS_URL. Every ballot is a distinct voter (one ballot each), signed in with a cookie made
from the app's secret key (bench/voters.py), so no password hashing is measured.

The client is aiohttp (asyncio), not wrk: each request needs its own voter's cookie and CSRF
token, and every answer is checked (a 302 to the receipt) so that a run that measured errors
is refused; with wrk that needs Lua scripting and files of tokens, and it would count a 400
as fast as a ballot. The client runs on the same machine: on few cores it takes CPU from the
servers, which lowers both figures of a ratio alike.
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

from bench.servers import VENV_BIN, Stack  # noqa: E402
from bench.voters import Ballot, demo_ballot, make_voters  # noqa: E402

BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "18090"))


async def cast_all(url: str, ballot: Ballot, voters, concurrency: int) -> dict:
    """Every voter casts their ballot once, `concurrency` at a time: ballots/s and latencies."""
    latencies, statuses = [], []
    pending = list(voters)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=120)) as http:
        async def client():
            while pending:
                voter = pending.pop()
                started = time.perf_counter()
                async with http.post(url + ballot.confirm_path, data=ballot.form(voter),
                                     headers={"Cookie": voter.cookie},
                                     allow_redirects=False) as answer:
                    await answer.read()
                    statuses.append((answer.status, answer.headers.get("Location", "")))
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    refused = [s for s in statuses if s[0] != 302 or not s[1].endswith("/vote/receipt")]
    if refused:
        raise SystemExit(f"{len(refused)} requests were not acknowledged, e.g. {refused[:3]}")
    latencies.sort()
    return {"per_second": len(voters) / elapsed, "p50": statistics.median(latencies),
            "p95": latencies[int(0.95 * (len(latencies) - 1))], "count": len(voters)}


def measure(env, ports, nginx_port, ballot, voters, args, app=None) -> dict:
    logs = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    with Stack(env, ports, logs, nginx_port=nginx_port, workers=args.workers,
               app=app) as stack:
        asyncio.run(cast_all(stack.url, ballot, voters[:args.concurrency], args.concurrency))
        return asyncio.run(cast_all(stack.url, ballot, voters[args.concurrency:],
                                    args.concurrency))  # the first round warms up


def row(name: str, figures: dict) -> str:
    return (f"{name:<34} {figures['per_second']:>9.1f} /s   p50 {figures['p50'] * 1000:>6.1f} ms"
            f"   p95 {figures['p95'] * 1000:>6.1f} ms   ({figures['count']} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1,
                        help="gunicorn workers per app server")
    parser.add_argument("--scale-out", action="store_true")
    args = parser.parse_args()
    env = {"BUDGET_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"],
           "PROXY_COUNT": "1", "FLASK_APP": "budget:create_app", "LOG_LEVEL": "WARNING"}
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
          f"workers per app server, {os.cpu_count()} CPUs", flush=True)
    if args.scale_out:
        one = measure(env, [BASE_PORT + 1], BASE_PORT, ballot,
                      make_voters(app, ballot, size, f"one-{tag}"), args)
        print(row("ballots, nginx + 1 app server", one), flush=True)
        two = measure(env, [BASE_PORT + 1, BASE_PORT + 2], BASE_PORT, ballot,
                      make_voters(app, ballot, size, f"two-{tag}"), args)
        print(row("ballots, nginx + 2 app servers", two))
        print(f"ratio two servers / one: {two['per_second'] / one['per_second']:.2f}")
        return
    bare = measure(env, [BASE_PORT + 1], None, ballot,
                   make_voters(app, ballot, size, f"bare-{tag}"), args, app="bench.bare_app:app")
    print(row("bare Flask route (peer)", bare), flush=True)
    votes = measure(env, [BASE_PORT + 1], None, ballot,
                    make_voters(app, ballot, size, f"vote-{tag}"), args)
    print(row("ballots, 1 app server", votes))
    print(f"ratio ballots / bare route: {votes['per_second'] / bare['per_second']:.2f}")


if __name__ == "__main__":
    main()
