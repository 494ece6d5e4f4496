"""Every rule on every Pabulib file, ours and pabutools 1.2.3 in the same run.

    python bench/tally.py [--limit 60] [--files GLOB ...] [--rules mes,mes-add1] [--out FILE]

Each implementation runs in its own worker process per file (the file is parsed once there,
parsing is not timed); each rule call is timed alone and stopped by SIGALRM after --limit
seconds, reported as "> limit". The two workers of a file run side by side (one per core).
Winners are compared as sets (pabutools returns Phragmén's set sorted, not in selection
order); for max-welfare the total welfare is compared, as the issue allows.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

RULES = ["greedy", "greedy-cardinality", "mes", "mes-cardinality", "mes-points", "mes-greedy",
         "mes-add1", "phragmen", "max-welfare"]
DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


class TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimit


def worker(impl: str, path: str, rules: list[str], limit: int) -> None:
    """Print one JSON line per rule: {"rule", "seconds" or null, "selected" or null}."""
    signal.signal(signal.SIGALRM, _alarm)
    if impl == "ours":
        from budget.domain.pabulib import read_pabulib
        from budget.domain.tally import RuleNotApplicable, tally
        election = read_pabulib(path).election

        def run(rule):
            return list(tally(rule, election).selected)
        not_applicable = RuleNotApplicable
    else:
        from pabutools.election import parse_pabulib
        from tests.reference import REFERENCE, applicable
        instance, profile = parse_pabulib(path)

        def run(rule):
            if not applicable(rule, profile):
                raise ValueError("not applicable")
            return [p.name for p in REFERENCE[rule](instance, profile)]
        not_applicable = ValueError
    for rule in rules:
        row = {"rule": rule, "seconds": None, "selected": None}
        signal.alarm(limit)
        try:
            start = time.perf_counter()
            selected = run(rule)
            row.update(seconds=time.perf_counter() - start, selected=selected)
        except TimeLimit:
            pass
        except not_applicable:
            row["selected"] = "n/a"
        finally:
            signal.alarm(0)
        print(json.dumps(row), flush=True)


def _start(impl, path, rules, limit):
    return subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", impl, path,
                             "--rules", ",".join(rules), "--limit", str(limit)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env=dict(os.environ, PYTHONHASHSEED="0"))


def _results(process) -> dict:
    out, _ = process.communicate()
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {row["rule"]: row for row in rows}


def compare(path: str, rules: list[str], limit: int, emit) -> list[dict]:
    from budget.domain.pabulib import read_pabulib
    election = read_pabulib(path).election
    votes = {pid: 0 for pid in election.costs}
    for ballot, count in election.ballots:
        for pid in ballot:
            votes[pid] += count
    welfare = lambda ids: sum(election.costs[p] * votes[p] for p in ids)  # noqa: E731
    ours_process = _start("ours", path, rules, limit)
    theirs_process = _start("pabutools", path, rules, limit)
    ours, theirs = _results(ours_process), _results(theirs_process)
    rows = []
    for rule in rules:
        a, b = ours.get(rule, {}), theirs.get(rule, {})
        if a.get("selected") == "n/a":
            continue
        if a.get("selected") is None or b.get("selected") is None:
            same = "no result" if a.get("selected") is None else "unknown"
        elif rule == "max-welfare":
            same = "yes" if welfare(a["selected"]) == welfare(b["selected"]) else "NO"
        else:
            same = "yes" if set(a["selected"]) == set(b["selected"]) else "NO"
        row = {"instance": os.path.basename(path)[:-3], "voters": election.voter_count,
               "projects": len(election.costs), "rule": rule, "ours": a.get("seconds"),
               "pabutools": b.get("seconds"), "identical": same}
        if same == "NO":
            row["ours_selected"], row["pabutools_selected"] = a["selected"], b["selected"]
        rows.append(row)
        emit(row)
    return rows


def _fmt(seconds, limit):
    return f"> {limit}" if seconds is None else f"{seconds:.4f}"


def _ratio(row, limit):
    if row["ours"] is None:
        return None
    theirs = row["pabutools"] if row["pabutools"] is not None else limit
    return theirs / max(row["ours"], 1e-6)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="seconds per pabutools call")
    parser.add_argument("--files", nargs="*", default=[DEFAULT_FILES])
    parser.add_argument("--rules", default=",".join(RULES))
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
    header = f"{'instance':<48} {'voters':>7} {'proj':>4} {'rule':<18} {'ours s':>9} " \
             f"{'pabutools s':>11} {'ratio':>8} identical"
    print(f"limit {args.limit} s per call; {len(paths)} files; python {sys.version.split()[0]}")
    print(header)

    def emit(row):
        ratio = _ratio(row, args.limit)
        shown = "-" if ratio is None else (">" if row["pabutools"] is None else "") + f"{ratio:.0f}"
        print(f"{row['instance'][:48]:<48} {row['voters']:>7} {row['projects']:>4} "
              f"{row['rule']:<18} {_fmt(row['ours'], args.limit):>9} "
              f"{_fmt(row['pabutools'], args.limit):>11} {shown:>8} {row['identical']}",
              flush=True)
        if out:
            out.write(json.dumps(row) + "\n")
            out.flush()

    rows = [row for path in paths for row in compare(path, rules, args.limit, emit)]
    print("\nper rule: median ratio (pabutools time / ours; a pabutools timeout counts as the "
          "limit, so those ratios are lower bounds), identical / compared")
    for rule in rules:
        mine = [r for r in rows if r["rule"] == rule]
        ratios = [x for x in (_ratio(r, args.limit) for r in mine) if x is not None]
        if mine:
            same = sum(r["identical"] == "yes" for r in mine)
            compared = sum(r["identical"] in ("yes", "NO") for r in mine)
            median = f"{statistics.median(ratios):.0f}x" if ratios else "-"
            print(f"  {rule:<18} median {median:>7}  identical {same}/{compared} "
                  f"(pabutools > limit: {sum(r['pabutools'] is None for r in mine)}, "
                  f"ours > limit: {sum(r['ours'] is None for r in mine)})")
    return 0 if all(r["identical"] != "NO" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
