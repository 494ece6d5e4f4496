"""The fixed costs of a tally, per file: prepare(), the MES rule, its details, and whole
`tally()` calls, for two source trees in the same run (e.g. the previous commit unpacked by
`git archive` and this worktree).

    python bench/fixed_costs.py [--trees OLD_DIR,NEW_DIR] [--rules mes,greedy] [--repeat 7]
                                [--files GLOB ...]

Each figure is the median of --repeat calls, in CPU milliseconds (time.process_time_ns); the
two trees run in turn, one subprocess per file and tree, alternating which goes first.
"""
from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time_ns()
        call()
        times.append(time.process_time_ns() - start)
    return statistics.median(times) / 1e6


def _import_from(tree: str) -> None:
    """Import `budget` from `tree`, not from the virtualenv's editable install (whose finder
    comes before sys.path)."""
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in repr(f)]
    sys.path.insert(0, tree)


def worker(path: str, rules: list[str], repeat: int) -> None:
    from budget.domain.pabulib import read_pabulib
    from budget.domain.tally import RuleNotApplicable, tally
    try:
        from budget.domain.tally.mes import rule as mes_rules
    except ImportError:     # a tree from before the MES package (BENCH_TREE)
        from budget.domain.tally import mes as mes_rules
    from budget.domain.tally.profile import prepare

    assert tally.__code__.co_filename.startswith(os.path.abspath(os.environ["BENCH_TREE"]))
    start = time.process_time_ns()
    election = read_pabulib(path).election
    row = {"parse": (time.process_time_ns() - start) / 1e6}
    row["prepare"] = _median_ms(lambda: prepare(election), repeat)
    runs = []

    def rule_only():
        profile = prepare(election)
        start = time.process_time_ns()
        selected, state = mes_rules.equal_shares(profile, "cost")
        middle = time.process_time_ns()
        mes_rules.mes_details(profile, state, selected)
        runs.append((middle - start, time.process_time_ns() - middle))

    for _ in range(repeat):
        rule_only()
    row["mes_run"] = statistics.median(a for a, _ in runs) / 1e6
    row["mes_details"] = statistics.median(b for _, b in runs) / 1e6
    for rule in rules:
        try:
            row[rule] = _median_ms(functools.partial(tally, rule, election), repeat)
        except RuleNotApplicable:
            row[rule] = None
    print(json.dumps(row))


def _run(tree: str, path: str, rules: list[str], repeat: int) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", path,
                          "--rules", ",".join(rules), "--repeat", str(repeat)],
                         stdout=subprocess.PIPE, text=True, check=True,
                         env=dict(os.environ, BENCH_TREE=tree, PYTHONHASHSEED="0")).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--trees", default=ROOT)
    parser.add_argument("--rules", default="mes")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--files", nargs="*")
    args = parser.parse_args()
    rules = [r for r in args.rules.split(",") if r]
    if args.worker:
        _import_from(os.environ["BENCH_TREE"])
        return worker(args.worker, rules, args.repeat)
    trees = args.trees.split(",")
    paths = sorted(p for pattern in (args.files or [DEFAULT_FILES]) for p in glob.glob(pattern))
    paths.sort(key=os.path.getsize)
    columns = ["parse", "prepare", "mes_run", "mes_details", *rules]
    print(f"{'file':40} " + " ".join(f"{c:>17}" for c in columns))
    ratios: dict[str, list[float]] = {c: [] for c in columns}
    for i, path in enumerate(paths):
        order = trees if i % 2 == 0 else trees[::-1]
        rows = {tree: _run(tree, path, rules, args.repeat) for tree in order}
        old, new = rows[trees[0]], rows[trees[-1]]
        cells = []
        for c in columns:
            if old.get(c) is None or new.get(c) is None:
                cells.append(f"{'n/a':>17}")
                continue
            cells.append(f"{old[c]:8.2f}→{new[c]:8.2f}")
            if new[c] > 0:
                ratios[c].append(old[c] / new[c])
        print(f"{os.path.basename(path)[:40]:40} " + " ".join(cells), flush=True)
    print("median old/new: " + ", ".join(
        f"{c} {statistics.median(r):.2f}x" for c, r in ratios.items() if r))


if __name__ == "__main__":
    main()
