"""MES as the rules run it (the compiled core, its winners replayed by the Python state for
the details) against the all-Fraction engine on real files: same winners and same
details (voter budget, every round's price and payers, what left-out projects' supporters
still hold), for Cost_Sat and Cardinality_Sat.

    python bench/mes_vs_exact.py [FILE ...]
"""
from __future__ import annotations

import glob
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from budget.domain.pabulib import read_pabulib  # noqa: E402
from budget.domain.tally.mes import rule as mes  # noqa: E402
from budget.domain.tally.profile import prepare  # noqa: E402
from tests.domain.oracles import exact as oracle  # noqa: E402

DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


def details_key(details):
    rounds = [(r["project"], r["price"],
               sorted((x["voters"], x["budget_before"], x["paid"]) for x in r["payers"]))
              for r in details["rounds"]]
    return details["voter_budget"], rounds, details["not_selected"]


def main(argv=None) -> int:
    patterns = (argv if argv is not None else sys.argv[1:]) or [DEFAULT_FILES]
    paths = sorted({p for pattern in patterns for p in glob.glob(pattern)}, key=os.path.getsize)
    different = 0
    for path in paths:
        profile = prepare(read_pabulib(path).election)
        for sat in ("cost", "cardinality"):
            start = time.perf_counter()
            fast, fast_state = mes.equal_shares(profile, sat)
            fast_details = mes.mes_details(profile, fast_state, fast)
            fast_s = time.perf_counter() - start
            start = time.perf_counter()
            slow, slow_state = oracle.equal_shares(profile, sat)
            slow_details = mes.mes_details(profile, slow_state, slow)
            slow_s = time.perf_counter() - start
            same = fast == slow and details_key(fast_details) == details_key(slow_details)
            different += not same
            print(f"{os.path.basename(path)[:40]:<40} {sat:<11} float {fast_s:7.3f}s "
                  f"exact {slow_s:7.3f}s identical={same}", flush=True)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
