"""The one compiled module, `budget.domain.tally._mescore` (tally/mes/core.py says why): everything
else is in pyproject.toml. Its sources: `_mescore.c` (the list of its functions),
`mes/rounds.c` (one MES run), `profile_index.c` and `cardinal_groups.c` (the profile's
builders), `phragmen.c` (Phragmén's rounds), `vote_cells.c` (a Pabulib file's VOTES rows),
`mes/points.c` (MES with points), `canonical_ballots.c` (the fingerprint's approval ballots)
and `relabel.c` (ballots relabelled for an envelope), under budget/domain/tally. Building it
needs a C compiler and Python's headers (Debian: gcc, python3-dev). -ffp-contract=off: no
fused multiply-add, so the compiled walk rounds exactly as the Python one does.

BUDGET_PURE_PYTHON=1 installs without it (no compiler needed). Such an install checks
published results (`flask budget verify`): the Method of Equal Shares then runs in the exact
engine (tally/mes/exact.py), slow on large files, with the same results; anything else that
tallies MES stops with an install error unless BUDGET_PURE_PYTHON=1 is set when it runs."""
import os

from setuptools import Extension, setup

PURE_PYTHON = os.environ.get("BUDGET_PURE_PYTHON", "").strip().lower() in ("1", "true", "yes")
TALLY = "budget/domain/tally"

setup(ext_modules=[] if PURE_PYTHON else [
    Extension("budget.domain.tally._mescore",
              [f"{TALLY}/_mescore.c", f"{TALLY}/mes/rounds.c", f"{TALLY}/profile_index.c",
               f"{TALLY}/phragmen.c", f"{TALLY}/vote_cells.c", f"{TALLY}/mes/points.c",
               f"{TALLY}/cardinal_groups.c", f"{TALLY}/canonical_ballots.c",
               f"{TALLY}/relabel.c"],
              depends=[f"{TALLY}/_mescore.h"],
              extra_compile_args=["-ffp-contract=off", "-Wextra", "-Wno-unused-parameter"]),
])
