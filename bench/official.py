"""Do we reproduce the winners cities announced? For every file that declares a rule and has a
`selected` column, run the `declared` rule and list exactly what differs.

    python bench/official.py [--files GLOB ...]

A project counts as officially selected when its `selected` cell is not 0 (Poznań marks
projects funded from a reserve with 2). A difference is reported, never tuned away: cities
sometimes fund outside their stated rule (e.g. Łódź 2020's comment says so).
"""
from __future__ import annotations

import argparse
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from budget.domain.pabulib import read_pabulib  # noqa: E402
from budget.domain.tally import RuleNotApplicable, tally  # noqa: E402

DEFAULT_FILES = os.path.join(ROOT, "..", "shared", "pabulib", "*.pb")


def describe(pid, pb, outcome) -> str:
    cells = pb.projects[pid]
    status = next((e for e in outcome.details.get("examined", []) if e["project"] == pid), None)
    text = f"{pid} (cost {cells['cost']}, votes {cells.get('votes', '?')}"
    if "score" in cells:
        text += f", score {cells['score']}"
    if status:
        text += f"; ours: {status['status']}, {int(status['remaining_before'])} left before it"
    return text + ")"


def check(path: str) -> str | None:
    pb = read_pabulib(path)
    declared = pb.meta.get("rule", "")
    if (not any("selected" in cells for cells in pb.projects.values())
            or declared in ("", "unknown")):
        return None
    name = os.path.basename(path)[:-3]
    official = {pid for pid, cells in pb.projects.items() if cells.get("selected", "0") != "0"}
    try:
        outcome = tally("declared", pb.election, meta=pb.meta)
    except RuleNotApplicable as error:
        return f"{name}: rule {declared!r}: not reproduced ({error})"
    ours = set(outcome.selected)
    if ours == official:
        return f"{name}: rule {declared!r}: SAME {len(ours)} winners"
    lines = [f"{name}: rule {declared!r}: DIFFERENT (ours {len(ours)}, official {len(official)})"]
    lines += [f"    only official: {describe(p, pb, outcome)}" for p in sorted(official - ours)]
    lines += [f"    only ours:     {describe(p, pb, outcome)}" for p in sorted(ours - official)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", default=[DEFAULT_FILES])
    args = parser.parse_args(argv)
    paths = sorted({p for pattern in args.files for p in glob.glob(pattern)})
    results = [r for r in (check(p) for p in paths) if r]
    print("\n".join(results))
    same = sum(": SAME " in r for r in results)
    print(f"\n{same} of {len(results)} files with a declared rule and a selected column "
          "reproduced exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
