"""`mes-add1` (certificates and horizons, completion.iterated_equal_shares) against the linear
scan of every budget step (a whole run at each step: tests/domain/test_add1_certificate.py's
`linear_scan`), on files too slow for the test suite (Budapest 2024: 22,002 steps).

    .venv/bin/python bench/add1_scan.py FILE ...

Prints per file: identical or DIFFERENT (winners in order, final per-voter budget, pabutools'
run count), the run count, and both CPU times.
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from budget.domain.pabulib import read_pabulib  # noqa: E402
from budget.domain.tally.profile import prepare  # noqa: E402
from tests.domain.test_add1_certificate import add1, linear_scan  # noqa: E402


def main(paths: list[str]) -> int:
    differ = 0
    for path in paths:
        profile = prepare(read_pabulib(path).election)
        start = time.process_time()
        ours = add1(profile)
        middle = time.process_time()
        scan = linear_scan(profile)
        end = time.process_time()
        differ += ours != scan
        print(f"{os.path.basename(path)}: {'identical' if ours == scan else 'DIFFERENT'}, "
              f"{ours[2]} runs; add1 {middle - start:.2f} s CPU, scan {end - middle:.1f} s CPU",
              flush=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
