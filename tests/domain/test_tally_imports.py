"""The command-line tally loads only what the rule needs: `mes` runs without numpy (its
import was a third of `python -m budget.tally FILE --rule mes` on a large file)."""
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"

PROGRAM = """
import sys
from budget.tally.__main__ import main
code = main([sys.argv[1], "--rule", "mes"])
print("numpy" in sys.modules, code)
"""


def test_mes_from_the_command_line_does_not_import_numpy():
    path = sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)[-1]
    out = subprocess.run([sys.executable, "-c", PROGRAM, str(path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[-1] == "False 0"
    assert "selected (" in out


OTHER_RULES = """
import sys
from budget.tally.__main__ import main
main([sys.argv[1], "--rule", "mes"])
print(" ".join(sorted(name for name in sys.modules if name.startswith("budget."))))
"""


def test_mes_from_the_command_line_loads_no_other_rule():
    """The registry imports each rule's module when the rule first runs (tally/runs.py)."""
    path = sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)[-1]
    out = subprocess.run([sys.executable, "-c", OTHER_RULES, str(path)], capture_output=True,
                         text=True, check=True).stdout
    loaded = set(out.splitlines()[-1].split())
    assert "budget.domain.tally.mes.rule" in loaded
    others = {f"budget.domain.tally.{name}" for name in (
        "greedy", "greedy_score", "declared", "maxwelfare", "phragmen", "phragmen_exact",
        "mes.completion", "mes.add1_net", "mes.comparison")}
    assert loaded & others == set()
