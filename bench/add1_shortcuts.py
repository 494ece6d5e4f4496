"""mes-add1 with its shortcut (each run's horizon, runs in the compiled core) against the
plain loop that runs MES at every per-voter budget b0, b0 + 1, b0 + 2, ..., per file.

    python bench/add1_shortcuts.py [--limit 60] [FILE ...]

Compares the selected projects (in order), the per-voter budget of the returned run and the
number of runs pabutools makes; the plain loop is stopped after --limit seconds ("not
compared").
"""
from __future__ import annotations

import argparse
import glob
import os
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from budget.domain.pabulib import read_pabulib  # noqa: E402
from budget.domain.tally.mes import completion  # noqa: E402
from budget.domain.tally.profile import prepare  # noqa: E402

DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


class TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimit


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[DEFAULT_FILES])
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    paths = sorted({p for pattern in args.files for p in glob.glob(pattern)},
                   key=os.path.getsize)
    different = 0
    for path in paths:
        profile = prepare(read_pabulib(path).election)
        start = time.perf_counter()
        fast = completion.iterated_equal_shares(profile)
        fast_s = time.perf_counter() - start
        name = os.path.basename(path)[:40]
        signal.alarm(args.limit)
        try:
            start = time.perf_counter()
            plain = completion.iterated_equal_shares(profile, jump=False)
            plain_s = time.perf_counter() - start
        except TimeLimit:
            print(f"{name:<40} runs={fast[3]:>6} shortcuts {fast_s:7.2f}s "
                  f"plain > {args.limit}s (not compared)", flush=True)
            continue
        finally:
            signal.alarm(0)
        same = (fast[0], fast[2], fast[3]) == (plain[0], plain[2], plain[3])
        different += not same
        print(f"{name:<40} runs={fast[3]:>6} shortcuts {fast_s:7.2f}s plain {plain_s:7.2f}s "
              f"identical={same}", flush=True)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
