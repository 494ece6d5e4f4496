"""The one compiled module, `budget/domain/tally/_mescore.c` (mes_core.py says why): everything
else is in pyproject.toml. Building it needs a C compiler and Python's headers (Debian: gcc,
python3-dev). -ffp-contract=off: no fused multiply-add, so the compiled walk rounds exactly as
the Python one does.

BUDGET_PURE_PYTHON=1 installs without it (no compiler needed): the tally then runs in Python
only, slower on large Method of Equal Shares files, with the same results (mes_core.py). That
is the install for checking published results on a laptop (`flask budget verify`)."""
import os

from setuptools import Extension, setup

PURE_PYTHON = os.environ.get("BUDGET_PURE_PYTHON", "").strip().lower() in ("1", "true", "yes")

setup(ext_modules=[] if PURE_PYTHON else [
    Extension("budget.domain.tally._mescore", ["budget/domain/tally/_mescore.c"],
              extra_compile_args=["-ffp-contract=off", "-Wextra", "-Wno-unused-parameter"]),
])
