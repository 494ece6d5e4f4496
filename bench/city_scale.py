"""City scale through the platform (issue 21), on PostgreSQL, each figure against a peer
measured in the same run:

* import: `flask budget import-pb FILE` (a whole process) against a bare COPY of the same
  ballot and selection rows (dumped from the import) into tables of the same shape
  (`LIKE ... INCLUDING ALL` plus the same foreign keys), through psycopg;
* tally: `flask budget tally ID --rule mes-add1` (a whole process: stored, with its
  explanation) against the engine's command line `python -m budget.tally FILE --rule mes-add1`;
* pages: the run published, one gunicorn server (deploy/gunicorn.conf.py, production
  settings, one sync worker) answers anonymous requests, one connection each: the published
  results page and the cycle page against `/bench/bare` (the base template alone, on only with
  BENCH_BARE_PAGE=1: budget/ops/bench_page.py), 200 rounds of the three in turn after 5 of
  warming up (the first results request renders and stores the page); p50 of each. Each export
  (CSV, XLSX, PDF, JSON, the ZIP of .pb files) is downloaded once first, its time printed;
* peak memory: the largest resident set of any child process (import, tally, gunicorn while it
  builds the exports and serves the pages; getrusage of the children).

The same for a synthetic Paris-sized intercommunal election (bench/paris.py: 250,000 voters,
20 communes, 600 projects, 21 files imported with `--intercommunal` as 20 communes plus the
intercommunal envelope, one ballot per voter), whose engine peer is the command line on each
file in turn. --paris-runs 0 skips it.

    python bench/city_scale.py [--file PB] [--database NAME] [--runs 3] [--paris-runs 1]
        [--paris-voters 250000]

The database (default `budget_city_bench`) is dropped and made again. Times are wall seconds,
the minimum of --runs; the peers run between ours. One line per election:
`import_ratio=A tally_ratio=B results_p50_ratio=C cycle_p50_ratio=D peak_mib=E`.
"""
from __future__ import annotations

import argparse
import compileall
import http.client
import os
import resource
import secrets
import statistics
import tempfile
import subprocess  # nosec B404: runs this project's own commands, no shell
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.paris import generate  # noqa: E402  (the path above)
from bench.servers import Stack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")
DEFAULT_FILE = ROOT.parent / "shared" / "pabulib" / "Poland_Warszawa_2026.pb"
SERVER = "postgresql://postgres@127.0.0.1:5432"
PORT = 18321
ROUNDS, WARM_UP = int(os.environ.get("CITY_SCALE_ROUNDS", 200)), 5
EXPORTS = ("results.csv", "results.xlsx", "results.pdf", "results.json", "results-pabulib.zip")


CPU: dict[str, float] = {}  # the CPU seconds (user + system) of the last run() of a command


def run(args: list[str], env: dict) -> tuple[float, str]:
    """(wall seconds, stdout); the command's CPU seconds in CPU[its first two words]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,  # nosec B603
                          check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[" ".join(Path(arg).name for arg in args[:3])] = (
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return seconds, done.stdout


def fresh_database(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def dump_rows(url: str, cycle_id: int) -> tuple[bytes, bytes]:
    """The import's ballot and selection rows, in COPY's text format."""
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        out = []
        for query in (f"SELECT * FROM ballots WHERE cycle_id = {cycle_id}",
                      "SELECT s.* FROM ballot_selections s JOIN ballots b ON b.id = s.ballot_id "
                      f"WHERE b.cycle_id = {cycle_id}"):
            data = bytearray()
            with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                for block in copy:
                    data += block
            out.append(bytes(data))
    return out[0], out[1]


def peer_copy(url: str, ballots: bytes, selections: bytes) -> float:
    """The same rows into tables of the same shape, in one transaction, then dropped."""
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE peer_ballots (LIKE ballots INCLUDING ALL)")
        cursor.execute("CREATE TABLE peer_selections (LIKE ballot_selections INCLUDING ALL)")
        cursor.execute("ALTER TABLE peer_ballots ADD FOREIGN KEY (cycle_id) "
                       "REFERENCES budget_cycles(id), ADD FOREIGN KEY (commune_id) "
                       "REFERENCES communes(id)")
        cursor.execute("ALTER TABLE peer_selections ADD FOREIGN KEY (ballot_id) "
                       "REFERENCES peer_ballots(id), ADD FOREIGN KEY (proposal_id) "
                       "REFERENCES proposals(id)")
        connection.commit()
        start = time.perf_counter()
        for table, data in (("peer_ballots", ballots), ("peer_selections", selections)):
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
        connection.commit()
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE peer_selections, peer_ballots")
        connection.commit()
    return seconds




def get(path: str) -> float:
    """Seconds for one anonymous GET of `path`, body read; exits unless it answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Host": "budget.bench.test"})
    answer = connection.getresponse()
    answer.read()
    seconds = time.perf_counter() - start
    connection.close()
    if answer.status != 200:
        sys.exit(f"GET {path}: {answer.status}")
    return seconds


def pages(url: str, cycle_id: int, logs: Path) -> tuple[float, float, str]:
    """(results p50 / bare p50, cycle p50 / bare p50, a line of detail)."""
    env = {"BUDGET_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "PUBLIC_URL": "https://budget.bench.test", "MAIL_DISABLED": "1",
           "BENCH_BARE_PAGE": "1", "EXPORT_CACHE_FOLDER": str(logs / "exports"),
           "LOG_LEVEL": "WARNING", "REDIS_URL": "", "GUNICORN_TIMEOUT": "600"}
    paths = {"bare": "/bench/bare", "results": f"/cycles/{cycle_id}/results",
             "cycle": f"/cycles/{cycle_id}"}
    times: dict[str, list[float]] = {name: [] for name in paths}
    stack = Stack(env, ports=[PORT], logs=logs, workers=1)
    with stack:
        built = {name: get(f"/cycles/{cycle_id}/{name}") for name in EXPORTS}
        for round_ in range(WARM_UP + ROUNDS):
            for name, path in paths.items():
                seconds = get(path)
                if round_ >= WARM_UP:
                    times[name].append(seconds)
    for server in stack.servers:
        server.wait()
    p50 = {name: statistics.median(values) * 1000 for name, values in times.items()}
    detail = (f"pages p50: results {p50['results']:.1f} ms, cycle {p50['cycle']:.1f} ms, "
              f"bare {p50['bare']:.1f} ms ({ROUNDS} each); first download: "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in built.items()))
    return p50["results"] / p50["bare"], p50["cycle"] / p50["bare"], detail


def election(files: list[Path], url: str, env: dict, runs: int, logs: Path,
             intercommunal: Path | None = None) -> str:
    """Import, tally and serve `files` (and the `intercommunal` file's envelope) as one cycle;
    the detail lines printed, the last line returned."""
    imports, copies, tallies, engines = [], [], [], []
    tally_cpu, engine_cpu = [], []
    every = [*files, *([intercommunal] if intercommunal else [])]
    extra = ["--intercommunal", str(intercommunal)] if intercommunal else []
    for _ in range(runs):
        seconds, out = run([FLASK, "budget", "import-pb", *map(str, files), *extra], env)
        imports.append(seconds)
        cycle_id = int(out.strip().splitlines()[-1])
        copies.append(peer_copy(url, *dump_rows(url, cycle_id)))
        tallies.append(run([FLASK, "budget", "tally", str(cycle_id), "--rule", "mes-add1"],
                           env)[0])
        tally_cpu.append(CPU["flask budget tally"])
        engines.append(0.0)
        engine_cpu.append(0.0)
        for file in every:
            engines[-1] += run([PYTHON, "-m", "budget.tally", str(file), "--rule", "mes-add1"],
                               env)[0]
            engine_cpu[-1] += CPU["python -m budget.tally"]
    run([FLASK, "budget", "tally", str(cycle_id), "--rule", "mes-add1", "--publish"], env)
    results_ratio, cycle_ratio, detail = pages(url, cycle_id, logs)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    name = every[0].name if len(every) == 1 else f"{len(every)} files ({every[0].parent.name})"
    print(f"{name}: import {min(imports):.2f} s, bare COPY {min(copies):.2f} s; "
          f"tally {min(tallies):.2f} s, engine {min(engines):.2f} s "
          f"(minimum of {runs}, load {os.getloadavg()[0]:.1f}; CPU seconds: tally "
          f"{min(tally_cpu):.2f}, engine {min(engine_cpu):.2f}); {detail}", flush=True)
    return (f"import_ratio={min(imports) / min(copies):.2f} "
            f"tally_ratio={min(tallies) / min(engines):.2f} "
            f"results_p50_ratio={results_ratio:.2f} cycle_p50_ratio={cycle_ratio:.2f} "
            f"peak_mib={peak_mib:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--database", default="budget_city_bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paris-runs", type=int, default=1)
    parser.add_argument("--paris-voters", type=int, default=250_000,
                        help="fewer for a quick check of the script")
    args = parser.parse_args()
    # Byte-compiled first, as an installed package is: with PYTHONDONTWRITEBYTECODE set (this
    # machine sets it), every command would compile each module it imports again (about 0.3 s
    # of the platform's start, less for the engine's command line).
    compileall.compile_dir(ROOT / "budget", quiet=1)
    url = fresh_database(args.database)
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "budget"}
    run([FLASK, "db", "upgrade"], env)
    with tempfile.TemporaryDirectory(prefix="city-scale-") as folder:
        base = Path(folder)
        lines = [election([args.file], url, env, args.runs, base / "warszawa")]
        if args.paris_runs:
            started = time.perf_counter()
            *communes, intercommunal = generate(base / "paris", args.paris_voters)
            print(f"synthetic Paris: 21 files generated in {time.perf_counter() - started:.1f} s",
                  flush=True)
            lines.append(election(communes, url, env, args.paris_runs, base / "paris-logs",
                                  intercommunal))
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
