"""Our tally engine at an older commit against this tree, in the same run (no pabutools).

    python bench/against_commit.py --base 5b5c1ef [--rules mes,mes-points] [--files GLOB ...]
                                   [--repeat 3] [--limit 10] [--long]

The base commit's tree is copied with `git archive` into bench/out/base-SHA (kept for the next
run) and its C core built there with `setup.py build_ext --inplace`, as is this tree's, so
both are built by the same compiler with the flags each setup.py declares. Then for every
(file, rule), one child process per call (cwd and PYTHONPATH = the tree, so it imports that
tree's `budget`; each child reports `budget.__file__` and is refused if it is not that
tree's), base and current alternating (B C C B B C ...), --repeat times each; the machine's
load then weighs on both alike.
* call s: the `tally(rule, election)` call, timed inside the child (parsing excluded), in
  wall time and in CPU time (time.process_time). The summary ranks by CPU time: on a loaded
  2-core machine a child that shares its core with another busy process takes up to twice the
  wall time for calls longer than a scheduler slice (a few ms), whichever tree it runs;
* explain s: then reading every nested mapping of its details, as bench/tally.py does (MES
  rules compute their explanation when it is first read);
* process s: the child's whole wall time (interpreter start, imports, parse, call).
Per pair: the minimum (and median) of the --repeat times of each tree, and whether the two
trees selected the same projects in the same order. A rule that does not apply to a file
(RuleNotApplicable, e.g. mes-points on approval ballots) is skipped. A call over --limit
seconds stops the pair (it is counted as "long"); with --long such pairs are then timed once
per tree, without limit, at the end. The summary gives, per rule, the median over files of
current / base (minimum call CPU time, minimum and median call wall time, minimum explain and
process wall time), and the line
`slowest_rule_ratio=X identical=Y/Z`.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = ["mes", "mes-cardinality", "mes-greedy", "mes-add1", "mes-points", "phragmen", "greedy"]
DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


# TimeLimit, _alarm and _read are bench/tally.py's, written again on purpose: importing that
# module puts this tree's root first on sys.path, and the child timing the base commit would
# then import this tree's `budget` instead of the base's.
class TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimit


def worker(path: str, rule: str, limit: int) -> None:
    """In the child: print one JSON line {"budget": budget.__file__, "seconds": call time or
    null when over the limit, "cpu": its CPU time, "explain": time to read its details,
    "selected": ids in selection order or "n/a"}."""
    import budget
    from budget.domain.pabulib import read_pabulib
    from budget.domain.tally import RuleNotApplicable, tally
    election = read_pabulib(path).election
    row = {"budget": budget.__file__, "seconds": None, "selected": None}
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        outcome = tally(rule, election)
        row.update(seconds=time.perf_counter() - start, cpu=time.process_time() - cpu,
                   selected=list(outcome.selected))
        start = time.perf_counter()
        _read(outcome.details)
        row["explain"] = time.perf_counter() - start
    except TimeLimit:
        pass
    except RuleNotApplicable:
        row["selected"] = "n/a"
    finally:
        signal.alarm(0)
    print(json.dumps(row), flush=True)


def _read(details) -> None:
    """Read every nested mapping of an outcome's details (bench/tally.py's _read)."""
    for value in details.values():
        if isinstance(value, Mapping):
            _read(value)


def prepare_base(commit: str) -> str:
    """The base commit's tree, extracted and built (reused when already there)."""
    sha = subprocess.run(["git", "rev-parse", "--short=12", commit], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    tree = os.path.join(ROOT, "bench", "out", f"base-{sha}")
    if not os.path.isdir(tree):
        os.makedirs(tree + ".partial", exist_ok=True)
        archive = subprocess.Popen(["git", "archive", sha], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", tree + ".partial"], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            sys.exit(f"git archive {sha} failed")
        os.rename(tree + ".partial", tree)
    return tree


def build(tree: str) -> None:
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree,
                   check=True, stdout=subprocess.DEVNULL)


def run_child(tree: str, path: str, rule: str, limit: int) -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", path, rule,
                          "--limit", str(limit)], cwd=tree, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=tree, PYTHONHASHSEED="0"))
    process = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"{rule} on {path} in {tree} failed:\n{out.stderr}")
    row = json.loads(out.stdout.splitlines()[-1])
    if not row["budget"].startswith(os.path.join(tree, "budget") + os.sep):
        sys.exit(f"the child imported {row['budget']}, not the tree {tree}")
    row["process"] = process
    return row


def compare(trees: dict, path: str, rule: str, repeat: int, limit: int) -> dict | None:
    """Time one (file, rule) in both trees, alternating; None when the rule does not apply."""
    runs = {name: [] for name in trees}
    order = list(trees)
    for i in range(repeat):
        for name in (order if i % 2 == 0 else order[::-1]):
            row = run_child(trees[name], path, rule, limit)
            runs[name].append(row)
            if row["seconds"] is None and row["selected"] is None:
                return {"file": path, "rule": rule, "long": True}
        not_applicable = {name: rows[-1]["selected"] == "n/a" for name, rows in runs.items()}
        if all(not_applicable.values()):
            return None
        if any(not_applicable.values()):
            sys.exit(f"{rule} applies to {path} in one tree only: {not_applicable}")
    result = {"file": path, "rule": rule, "long": False, "repeat": repeat,
              "identical": all(r["selected"] == runs["base"][0]["selected"]
                               for rows in runs.values() for r in rows)}
    for name, rows in runs.items():
        calls = [r["seconds"] for r in rows]
        result[name] = {"min": min(calls), "median": statistics.median(calls),
                        "cpu": min(r["cpu"] for r in rows),
                        "explain": min(r["explain"] for r in rows),
                        "process": min(r["process"] for r in rows)}
    return result


MEASURES = [("call cpu", "cpu"), ("call", "min"), ("call median", "median"),
            ("explain", "explain"),
            ("process", "process")]


def print_row(row: dict) -> None:
    name = os.path.basename(row["file"])[:-3][:40]
    if row["long"]:
        print(f"{name:<40} {row['rule']:<16} over the limit: left for --long", flush=True)
        return
    measures = "  ".join(f"{label} {row['base'][key]:.4f} {row['current'][key]:.4f} "
                         f"{_ratio(row, key):.2f}" for label, key in MEASURES)
    print(f"{name:<40} {row['rule']:<16} x{row['repeat']}  {measures}  "
          f"identical {'yes' if row['identical'] else 'NO'}", flush=True)


def _ratio(row: dict, key: str) -> float:
    return row["current"][key] / max(row["base"][key], 1e-6)


def print_summary(rows: list[dict], rules: list[str]) -> None:
    print("\nper rule, median over files of current / base (below 1: current is faster)")
    slowest = 0.0
    for rule in rules:
        timed = [r for r in rows if r["rule"] == rule and not r["long"]]
        if not timed:
            continue
        call_cpu = statistics.median(_ratio(r, "cpu") for r in timed)
        slowest = max(slowest, call_cpu)
        print(f"  {rule:<16} call cpu (min) {call_cpu:5.2f}  "
              f"call (min) {statistics.median(_ratio(r, 'min') for r in timed):5.2f}  "
              f"call (median) {statistics.median(_ratio(r, 'median') for r in timed):5.2f}  "
              f"explain (min) {statistics.median(_ratio(r, 'explain') for r in timed):5.2f}  "
              f"process (min) {statistics.median(_ratio(r, 'process') for r in timed):5.2f}  "
              f"files {len(timed)}  identical {sum(r['identical'] for r in timed)}/{len(timed)}")
    timed = [r for r in rows if not r["long"]]
    long = [f"{os.path.basename(r['file'])[:-3]} {r['rule']}" for r in rows if r["long"]]
    if long:
        print(f"over the limit, not timed: {', '.join(long)}")
    print(f"slowest_rule_ratio={slowest:.2f} "
          f"identical={sum(r['identical'] for r in timed)}/{len(timed)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the commit to compare this tree with (required)")
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--files", nargs="*", default=[DEFAULT_FILES])
    parser.add_argument("--repeat", type=int, default=3, help="calls per tree and pair")
    parser.add_argument("--limit", type=int, default=10, help="seconds; a longer call stops "
                        "its pair")
    parser.add_argument("--long", action="store_true",
                        help="at the end, time the pairs over the limit once per tree")
    parser.add_argument("--worker", nargs=2, metavar=("FILE", "RULE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], args.worker[1], args.limit)
        return 0
    if not args.base:
        parser.error("--base is required")
    trees = {"base": prepare_base(args.base), "current": ROOT}
    for tree in trees.values():
        build(tree)
    rules = args.rules.split(",")
    paths = sorted({p for pattern in args.files for p in glob.glob(pattern)},
                   key=os.path.getsize)
    if not paths:
        parser.error(f"no file matches {' '.join(args.files)}")
    print(f"base {trees['base']}, current {ROOT}; {len(paths)} files, {len(rules)} rules, "
          f"{args.repeat} calls per tree, limit {args.limit} s; columns: base, current, "
          f"current / base", flush=True)
    rows = []
    for path in paths:
        for rule in rules:
            row = compare(trees, path, rule, args.repeat, args.limit)
            if row:
                print_row(row)
                rows.append(row)
    if args.long:
        for i, row in enumerate(rows):
            if row["long"]:
                rows[i] = compare(trees, row["file"], row["rule"], 1, 0)
                print_row(rows[i])
    print_summary(rows, rules)
    return 0 if all(r["identical"] for r in rows if not r["long"]) else 1


if __name__ == "__main__":
    sys.exit(main())
