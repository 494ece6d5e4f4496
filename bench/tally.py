"""Every rule on every Pabulib file, ours and pabutools 1.2.3 in the same run.

    python bench/tally.py [--limit 20] [--files GLOB ...] [--rules mes,mes-add1]
                          [--jobs 2] [--out FILE.jsonl]

Per file, our worker runs first, then pabutools' (never side by side); `--jobs` files are
benchmarked at the same time. In each worker the file is parsed once (timed: `parse`), then
each rule call is timed alone and stopped by SIGALRM after --limit seconds for pabutools
("> limit"), --ours-limit for ours (larger, so that our slow cases still get a figure).
* rule time: the rule call only. Ours is `tally(rule, election)` (it includes building the
  indexed profile from the parsed election; the engine's modules are imported before, see
  _import_engine); pabutools' is the rule function on the parsed
  instance and profile (tests/domain/oracles/pabutools.py).
* explanation time (ours): reading every nested mapping of the outcome's details right after
  the call. MES rules compute them (who paid what, exactly) only when first read, which
  pabutools' rule call does not do at all; the summary also gives the ratios with it added.
* end-to-end time: that worker's parse time + the rule time (the file is parsed once per
  worker; the parse time is added to every rule of the file; imports are not timed).
* peak memory: ru_maxrss of our worker after all its rules on the file (so the peak over the
  rules of that file, including the parsed file).
Winners are compared as sets (pabutools returns Phragmén's set sorted); for max-welfare the
total welfare is compared. The summary is in bench/report.py.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.report import print_row, print_summary  # noqa: E402

RULES = ["greedy", "greedy-cardinality", "mes", "mes-cardinality", "mes-points", "mes-greedy",
         "mes-add1", "phragmen", "max-welfare"]
DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


class TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimit


def worker(impl: str, path: str, rules: list[str], limit: int) -> None:
    """Print JSON lines: {"parse": s}, then per rule {"rule", "seconds" or null, "selected"
    or null or "n/a"}, then {"maxrss_kib": n}."""
    signal.signal(signal.SIGALRM, _alarm)
    if impl == "ours":
        from budget.domain.pabulib import read_pabulib
        from budget.domain.tally import RuleNotApplicable, tally
        _import_engine()
        start = time.perf_counter()         # imports are not timed, parsing is
        election = read_pabulib(path).election

        def run(rule):
            return tally(rule, election)
        not_applicable = RuleNotApplicable
    else:
        from pabutools.election import parse_pabulib
        from tests.domain.oracles.pabutools import REFERENCE, applicable
        start = time.perf_counter()
        instance, profile = parse_pabulib(path)

        def run(rule):
            if not applicable(rule, profile):
                raise ValueError("not applicable")
            return [p.name for p in REFERENCE[rule](instance, profile)]
        not_applicable = ValueError
    print(json.dumps({"parse": time.perf_counter() - start}), flush=True)
    for rule in rules:
        row = {"rule": rule, "seconds": None, "selected": None}
        signal.alarm(limit)
        try:
            start = time.perf_counter()
            selected = run(rule)
            row.update(seconds=time.perf_counter() - start, selected=selected)
            if impl == "ours":
                start = time.perf_counter()
                _read(selected.details)
                row.update(explain=time.perf_counter() - start, selected=list(selected.selected))
        except TimeLimit:
            pass
        except not_applicable:
            row["selected"] = "n/a"
        finally:
            signal.alarm(0)
        print(json.dumps(row), flush=True)
    print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}),
          flush=True)


def _import_engine() -> None:
    """Import every module of the engine (budget.domain.tally), as pabutools' rules are all
    imported before its clock starts: each rule imports its own modules when it first runs
    (tally/runs.py, for the command line), which would put their import (0.2-1.5 ms) in the
    first timed call. What a rule imports from elsewhere when it runs (numpy) stays timed."""
    import importlib
    import pkgutil

    import budget.domain.tally as engine
    for module in pkgutil.walk_packages(engine.__path__, engine.__name__ + "."):
        importlib.import_module(module.name)


def _read(details) -> None:
    """Read every nested mapping of an outcome's details (so explanations are computed)."""
    for value in details.values():
        if isinstance(value, Mapping):
            _read(value)


def _run_worker(impl, path, rules, limit) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", impl, path,
                          "--rules", ",".join(rules), "--limit", str(limit)],
                         stdout=subprocess.PIPE, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONHASHSEED="0")).stdout
    result = {"rules": {}}
    for line in out.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            if "rule" in item:
                result["rules"][item["rule"]] = item
            else:
                result.update(item)
    return result


def _same(rule, a, b, welfare) -> str:
    if a.get("selected") is None:
        return "no result (ours did not finish)"
    if b.get("selected") is None:
        return "n/a (pabutools did not finish)"
    if rule == "max-welfare":
        return "yes" if welfare(a["selected"]) == welfare(b["selected"]) else "NO"
    return "yes" if set(a["selected"]) == set(b["selected"]) else "NO"


def compare(path: str, rules: list[str], limit: int, ours_limit: int) -> list[dict]:
    from budget.domain.pabulib import read_pabulib
    election = read_pabulib(path).election
    votes = {pid: 0 for pid in election.costs}
    for ballot, count in election.ballots:
        for pid in ballot:
            votes[pid] += count
    welfare = lambda ids: sum(election.costs[p] * votes[p] for p in ids)  # noqa: E731
    ours = _run_worker("ours", path, rules, ours_limit)
    theirs = _run_worker("pabutools", path, rules, limit)
    rows = []
    for rule in rules:
        a, b = ours["rules"].get(rule, {}), theirs["rules"].get(rule, {})
        if a.get("selected") == "n/a":
            continue
        row = {"instance": os.path.basename(path)[:-3], "voters": election.voter_count,
               "projects": len(election.costs), "rule": rule,
               "ours": a.get("seconds"), "pabutools": b.get("seconds"),
               "ours_explain": a.get("explain"),
               "ours_parse": ours.get("parse"), "pabutools_parse": theirs.get("parse"),
               "ours_peak_mib": ours.get("maxrss_kib", 0) / 1024, "ours_limit": ours_limit,
               "identical": _same(rule, a, b, welfare)}
        if row["identical"] == "NO":
            row["ours_selected"], row["pabutools_selected"] = a["selected"], b["selected"]
        rows.append(row)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20, help="seconds per pabutools call")
    parser.add_argument("--ours-limit", type=int, default=120, help="seconds per call of ours")
    parser.add_argument("--files", nargs="*", default=[DEFAULT_FILES])
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--jobs", type=int, default=1, help="files benchmarked at once")
    parser.add_argument("--out", help="also write the rows as JSON lines here")
    parser.add_argument("--worker", nargs=2, metavar=("IMPL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    rules = args.rules.split(",")
    if args.worker:
        worker(args.worker[0], args.worker[1], rules, args.limit)
        return 0
    paths = sorted({p for pattern in args.files for p in glob.glob(pattern)},
                   key=os.path.getsize)
    out = open(args.out, "w") if args.out else None
    print(f"limit {args.limit} s per pabutools call, {args.ours_limit} s per call of ours; "
          f"{len(paths)} files; {args.jobs} at a time; "
          f"python {sys.version.split()[0]}", flush=True)
    rows = []
    with ThreadPoolExecutor(args.jobs) as pool:
        for file_rows in pool.map(lambda path: compare(path, rules, args.limit, args.ours_limit),
                                   paths):
            for row in file_rows:
                print_row(row, args.limit)
                if out:
                    out.write(json.dumps(row) + "\n")
                    out.flush()
            rows.extend(file_rows)
    print_summary(rows, rules, args.limit)
    return 0 if all(r["identical"] != "NO" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
