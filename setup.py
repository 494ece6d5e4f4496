"""The one compiled module, `budget/domain/tally/_mescore.c` (mes_core.py says why): everything
else is in pyproject.toml. Building it needs a C compiler and Python's headers (Debian: gcc,
python3-dev). -ffp-contract=off: no fused multiply-add, so the compiled walk rounds exactly as
the Python one does."""
from setuptools import Extension, setup

setup(ext_modules=[
    Extension("budget.domain.tally._mescore", ["budget/domain/tally/_mescore.c"],
              extra_compile_args=["-ffp-contract=off", "-Wextra", "-Wno-unused-parameter"]),
])
