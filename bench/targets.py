"""The issue-3 targets that are about us alone: `mes-add1` on the largest files, our time and
peak memory, one fresh process per file (so ru_maxrss is that rule's peak).

    python bench/targets.py [--rules mes-add1] [FILE ...]

Prints per file: parse time, rule-call time (tally(), including building the profile), the
time to read the outcome's explanation afterwards (MES details are computed when first read),
the number of MES runs pabutools makes (details["mes"]["runs"]) and the peak RSS of the
process.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
SHARED = os.path.join(ROOT, "..", "shared", "pabulib")
LARGEST = ["Poland_Warszawa_2026", "Poland_Krakow_2024"]


def measure(path: str, rule: str) -> dict:
    from budget.domain.pabulib import read_pabulib
    from budget.domain.tally import tally
    start = time.perf_counter()
    election = read_pabulib(path).election
    parsed = time.perf_counter()
    outcome = tally(rule, election)
    done = time.perf_counter()
    mes = outcome.details.get("mes") or {}
    runs = mes.get("runs")
    explained = time.perf_counter()
    return {"file": os.path.basename(path), "rule": rule, "parse_s": parsed - start,
            "rule_s": done - parsed, "explain_s": explained - done, "runs": runs,
            "selected": len(outcome.selected),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--rules", default="mes-add1")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one[0], args.one[1])))
        return 0
    files = args.files or [os.path.join(SHARED, f"{name}.pb") for name in LARGEST]
    print(f"{'file':<32} {'rule':<10} {'parse s':>8} {'rule s':>8} {'explain s':>9} {'runs':>6} "
          f"{'peak MiB':>9} under 1 s / 1 GiB")
    for path in files:
        for rule in args.rules.split(","):
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", path, rule],
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
            row = json.loads(out.strip().splitlines()[-1])
            print(f"{row['file'][:32]:<32} {rule:<10} {row['parse_s']:>8.3f} "
                  f"{row['rule_s']:>8.3f} {row['explain_s']:>9.3f} {row['runs'] or '-':>6} "
                  f"{row['peak_mib']:>9.0f} "
                  f"{'yes' if row['rule_s'] < 1 else 'NO'} / "
                  f"{'yes' if row['peak_mib'] < 1024 else 'NO'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
