"""The journalist's install: no C compiler, so no compiled MES core. `flask budget verify`
must give the same answer with the pure-Python engine (the exact one, mes/exact.py), and
`BUDGET_PURE_PYTHON=1` must make setup.py build nothing."""
from __future__ import annotations

import os
import runpy
import subprocess  # nosec B404: runs this interpreter on a test file, no shell
import sys
from pathlib import Path

import pytest
import setuptools

from budget.domain.tally.mes import core as mes_core
from tests.commands.helpers import APPROVAL, import_files, invoke

ROOT = Path(__file__).resolve().parents[2]
# A fresh interpreter in which the compiled core cannot be imported, as when it was never
# built; then the `flask` command line, as a journalist types it.
WITHOUT_CORE = """
import sys
sys.modules["budget.domain.tally._mescore"] = None
from flask.cli import main
sys.argv = ["flask", "--app", "budget", "budget", "verify", *sys.argv[1:]]
main()
"""


def verify_without_core(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # nosec B603: a fixed interpreter and arguments, no shell
        [sys.executable, "-c", WITHOUT_CORE, *map(str, args)], cwd=ROOT, capture_output=True,
        text=True, timeout=300, env={**os.environ, "FLASK_APP": "budget"})


def outcome_lines(output: str) -> list[str]:
    """What the two engines must both say: everything but the engine's name."""
    return [line for line in output.splitlines() if not line.startswith("Rule:")]


@pytest.mark.parametrize("rule", ["mes", "mes-add1"])
def test_verify_gives_the_same_answer_without_the_compiled_core(app, session, tmp_path, rule):
    assert mes_core.BUILT, "the test compares the compiled core with the exact engine"
    cycle = import_files(app, APPROVAL)
    assert invoke(app, "tally", cycle.id, "--rule", rule, "--publish").exit_code == 0
    assert invoke(app, "export", cycle.id, "--format", "pb", "--output", tmp_path).exit_code == 0
    fingerprint = cycle.published_run.fingerprint

    compiled = invoke(app, "verify", tmp_path, "--fingerprint", fingerprint)
    pure = verify_without_core(tmp_path, "--fingerprint", fingerprint)
    assert compiled.exit_code == 0 and pure.returncode == 0, pure.stderr
    assert "Counting engine: compiled MES core." in compiled.stdout
    assert "Counting engine: pure Python." in pure.stdout
    assert outcome_lines(pure.stdout) == outcome_lines(compiled.stdout)
    assert f"MATCH: the file gives the run fingerprint {fingerprint}" in pure.stdout

    if rule == "mes":  # the mismatch is the same for every rule; add1 is the slow exact one
        wrong = verify_without_core(tmp_path, "--fingerprint", "0" * 64)
        assert wrong.returncode == 1 and "MISMATCH" in wrong.stdout


def setup_extensions(monkeypatch, value: str | None) -> list:
    """The ext_modules setup.py passes to setuptools, with BUDGET_PURE_PYTHON set so."""
    if value is None:
        monkeypatch.delenv("BUDGET_PURE_PYTHON", raising=False)
    else:
        monkeypatch.setenv("BUDGET_PURE_PYTHON", value)
    seen = {}
    monkeypatch.setattr(setuptools, "setup", lambda **kwargs: seen.update(kwargs))
    runpy.run_path(str(ROOT / "setup.py"))
    return seen["ext_modules"]


def test_setup_builds_the_core_unless_told_to_stay_pure_python(monkeypatch):
    assert [e.name for e in setup_extensions(monkeypatch, None)] \
        == ["budget.domain.tally._mescore"]
    assert setup_extensions(monkeypatch, "0") != []
    assert setup_extensions(monkeypatch, "1") == []
