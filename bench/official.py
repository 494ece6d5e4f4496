"""Do we reproduce the winners cities announced? For every file whose META names a rule and
whose PROJECTS have a `selected` column, run `declared` (the rule the META names, as
`python -m budget.tally FILE --rule declared` does) and say exactly what differs and why.

    .venv/bin/python bench/official.py [--files GLOB ...]

The files are ../shared/pabulib/*.pb seen from the main checkout (or from a worktree in
/work/wt/), or $PABULIB_DIR/*.pb. A project counts as officially selected when its `selected`
cell is not 0 (Poznań marks projects funded from a reserve with 2). A difference is reported,
never tuned away: for each file we do not reproduce, the output says where our run placed the
projects that differ and what the file's META comment says; bench/README.md ("Declared rules
and announced winners") gives the reason, file by file. The last line is the summary.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from budget.domain.pabulib import read_pabulib  # noqa: E402
from budget.tally.__main__ import file_params  # noqa: E402
from budget.domain.tally import RuleNotApplicable, tally  # noqa: E402

COMMENT_CHARS = 240


def default_files() -> str:
    """$PABULIB_DIR, else the first shared/pabulib found above this checkout."""
    folder = os.environ.get("PABULIB_DIR")
    if not folder:
        above = [os.path.join(ROOT, *[".."] * up, "shared", "pabulib") for up in (1, 2)]
        folder = next((f for f in above if os.path.isdir(f)), above[0])
    return os.path.join(folder, "*.pb")


def describe(pid, pb, outcome) -> str:
    cells = pb.projects[pid]
    status = next((e for e in outcome.details.get("examined", []) if e["project"] == pid), None)
    text = f"{pid} (cost {cells['cost']}, votes {cells.get('votes', '?')}"
    if "score" in cells:
        text += f", score {cells['score']}"
    if status:
        text += f"; ours: {status['status']}, {int(status['remaining_before'])} left before it"
    return text + ")"


def comment(pb) -> list[str]:
    text = " ".join(pb.meta.get("comment", "").split())
    if not text:
        return []
    short = text if len(text) <= COMMENT_CHARS else text[:COMMENT_CHARS - 1] + "…"
    return [f"    META comment: {short}"]


def check(path: str) -> tuple[str, bool] | None:
    """(the report for one file, whether it is reproduced), or None when the file has no
    declared rule or no `selected` column."""
    pb = read_pabulib(path)
    declared = pb.meta.get("rule", "").strip()
    if (not any("selected" in cells for cells in pb.projects.values())
            or declared in ("", "unknown")):
        return None
    name = os.path.basename(path)[:-3]
    official = {pid for pid, cells in pb.projects.items() if cells.get("selected", "0") != "0"}
    try:
        outcome = tally("declared", pb.election, **file_params("declared", pb))
    except RuleNotApplicable as error:
        return "\n".join([f"{name}: {declared!r}: NOT RUN ({error})"] + comment(pb)), False
    ours = set(outcome.selected)
    label = f"{name}: {declared!r} as {outcome.details['declared_as']}"
    if ours == official:
        return f"{label}: SAME {len(ours)} winners", True
    lines = [f"{label}: DIFFERENT (ours {len(ours)}, official {len(official)})"]
    lines += [f"    only official: {describe(p, pb, outcome)}" for p in sorted(official - ours)]
    lines += [f"    only ours:     {describe(p, pb, outcome)}" for p in sorted(ours - official)]
    return "\n".join(lines + comment(pb)), False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", default=None,
                        help="glob patterns (default: the shared Pabulib files)")
    args = parser.parse_args(argv)
    patterns = args.files or [default_files()]
    paths = sorted({p for pattern in patterns for p in glob.glob(pattern)})
    if not paths:
        print(f"no .pb file matches {' '.join(patterns)}", file=sys.stderr)
        return 2
    results = [r for r in map(check, paths) if r]
    for text, _ in results:
        print(text)
    missed = [text.split(":")[0] for text, same in results if not same]
    same = len(results) - len(missed)
    print(f"\ndeclared rule reproduces the announced winners on {same} of {len(results)} files "
          f"with a declared rule and a selected column (of {len(paths)} files); not: "
          f"{', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
