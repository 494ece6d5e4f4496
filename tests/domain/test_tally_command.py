"""`python -m budget.tally FILE --rule R`: the file's own data reach the rules that read them."""
import json
from pathlib import Path

from budget.tally.__main__ import main

DATA = Path(__file__).parent.parent / "data"
WIELICZKA = DATA / "Poland_Wieliczka_2023_Green_Budget.pb"


def test_declared_says_which_rule_the_file_named(capsys):
    assert main([str(WIELICZKA), "--rule", "declared", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["declared_as"] == "mes-add1-net-comparison"
    assert len(result["selected"]) == 30 and result["cost"] == 995079


def test_greedy_score_reads_the_score_column_and_says_when_there_is_none(capsys):
    cumulative = DATA / "Switzerland_Zurich_S5R.pb"
    assert main([str(cumulative), "--rule", "greedy-score"]) == 0
    assert capsys.readouterr().out.startswith("rule: greedy-score\n")
    assert main([str(WIELICZKA), "--rule", "greedy-score"]) == 2
    assert "needs a score column" in capsys.readouterr().err
