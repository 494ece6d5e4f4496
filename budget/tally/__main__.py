"""python -m budget.tally FILE.pb --rule NAME [--json]

Prints the selected project ids (in selection order), the total cost and the time taken; with
--json one JSON object with rule, selected (ids as strings, sorted), cost, seconds. Errors go
to stderr with exit code 2. No Flask here.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction

from budget.domain.pabulib import PabulibError, read_pabulib
from budget.domain.tally import RULES, tally


def _number(value: Fraction) -> int | str:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else f"{float(value):.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budget.tally",
                                     description="Tally a Pabulib file with a named rule.")
    parser.add_argument("file", help="a Pabulib .pb file")
    parser.add_argument("--rule", required=True, help=f"one of: {', '.join(RULES)}")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        pb = read_pabulib(args.file)
        params = {"meta": pb.meta} if args.rule == "declared" else {}
        start = time.perf_counter()
        outcome = tally(args.rule, pb.election, **params)
        seconds = time.perf_counter() - start
    except (PabulibError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"rule": outcome.rule, "selected": sorted(outcome.selected),
                          "cost": _number(outcome.cost), "budget": _number(pb.election.budget),
                          "seconds": round(seconds, 6)}))
    else:
        print(f"rule: {outcome.rule}")
        print(f"selected ({len(outcome.selected)}): {' '.join(outcome.selected)}")
        print(f"cost: {_number(outcome.cost)} of {_number(pb.election.budget)}")
        print(f"time: {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
