"""A real election goes round: imported, tallied and published by the platform, exported as
Pabulib files, re-imported and re-tallied: the same winners and the same fingerprints."""
from __future__ import annotations

import pytest

from budget.domain import recount
from budget.domain.pabulib import read_pabulib
from budget.models import BudgetCycle
from tests.commands.helpers import ADD1, APPROVAL, import_files, invoke


def publish_and_export(app, cycle: BudgetCycle, rule: str, folder) -> tuple[dict, list]:
    tallied = invoke(app, "tally", cycle.id, "--rule", rule, "--publish")
    assert tallied.exit_code == 0, tallied.output
    exported = invoke(app, "export", cycle.id, "--format", "pb", "--output", folder)
    assert exported.exit_code == 0, exported.output
    run = cycle.published_run
    return run.result["envelopes"][0], sorted(folder.glob("*.pb"))


@pytest.mark.parametrize("rule", ["greedy", "mes-add1"])
@pytest.mark.parametrize("path", [APPROVAL, ADD1], ids=lambda p: p.stem)
def test_export_reimport_retally_gives_the_same_winners_and_fingerprint(app, session, tmp_path,
                                                                        path, rule):
    first, [exported] = publish_and_export(app, import_files(app, path), rule, tmp_path / "a")
    facts = recount.decode(read_pabulib(exported).meta)
    assert facts["fingerprint"] == first["fingerprint"]

    again, _ = publish_and_export(app, import_files(app, exported), rule, tmp_path / "b")
    winners = {p["external_id"] for p in first["projects"] if p["selected"]}
    assert {p["external_id"] for p in again["projects"] if p["selected"]} == winners
    assert again["fingerprint"] == first["fingerprint"]
    assert again["input"]["tie_order"] == first["input"]["tie_order"]

    verified = invoke(app, "verify", exported, "--rule", rule, "--fingerprint",
                      first["fingerprint"])
    assert verified.exit_code == 0, verified.output
