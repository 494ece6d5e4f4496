"""City scale through the platform (issue 21), on PostgreSQL, each figure against a peer
measured in the same run:

* import: `flask budget import-pb FILE` (a whole process) against a bare COPY of the same
  ballot and selection rows (dumped from the import) into tables of the same shape
  (`LIKE ... INCLUDING ALL` plus the same foreign keys), through psycopg;
* tally: `flask budget tally ID --rule mes-add1` (a whole process: stored, with its
  explanation) against the engine's command line `python -m budget.tally FILE --rule mes-add1`;
* peak memory: the largest resident set of the import and tally processes (getrusage of the
  children).

    python bench/city_scale.py [--file PB] [--database NAME] [--runs 3]

The database (default `budget_city_bench`) is dropped and made again. Times are wall seconds,
the minimum of --runs; the peers run between ours. The last line:
`import_ratio=A tally_ratio=B results_p50_ratio=C cycle_p50_ratio=D peak_mib=E`, with `-` for a
figure this script does not measure yet (the pages through gunicorn, the synthetic
Paris-sized election: see bench/README.md).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess  # nosec B404: runs this project's own commands, no shell
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")
DEFAULT_FILE = ROOT.parent / "shared" / "pabulib" / "Poland_Warszawa_2026.pb"
SERVER = "postgresql://postgres@127.0.0.1:5432"


def run(args: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,  # nosec B603
                          check=False)
    seconds = time.perf_counter() - start
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--database", default="budget_city_bench")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = fresh_database(args.database)
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "budget"}
    run([FLASK, "db", "upgrade"], env)

    imports, copies, tallies, engines = [], [], [], []
    for _ in range(args.runs):
        seconds, out = run([FLASK, "budget", "import-pb", str(args.file)], env)
        imports.append(seconds)
        cycle_id = int(out.strip().splitlines()[-1])
        copies.append(peer_copy(url, *dump_rows(url, cycle_id)))
        tallies.append(run([FLASK, "budget", "tally", str(cycle_id), "--rule", "mes-add1"],
                           env)[0])
        engines.append(run([PYTHON, "-m", "budget.tally", str(args.file), "--rule",
                            "mes-add1"], env)[0])
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.file.name}: import {min(imports):.2f} s, bare COPY {min(copies):.2f} s; "
          f"tally {min(tallies):.2f} s, engine {min(engines):.2f} s "
          f"(minimum of {args.runs}, load {os.getloadavg()[0]:.1f})")
    print(f"import_ratio={min(imports) / min(copies):.2f} "
          f"tally_ratio={min(tallies) / min(engines):.2f} results_p50_ratio=- "
          f"cycle_p50_ratio=- peak_mib={peak_mib:.0f}")


if __name__ == "__main__":
    main()
