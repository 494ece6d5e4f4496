"""A real election goes round: imported, tallied and published by the platform, exported as
Pabulib files, re-imported and re-tallied: the same winners and the same fingerprints."""
from __future__ import annotations

import pytest
from pabulib.checker import Checker

from budget.domain import recount
from budget.domain.pabulib import read_pabulib
from budget.models import BudgetCycle
from tests.commands.helpers import ADD1, APPROVAL, DATA, IMPORTS, import_files, invoke


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


KEPT_FILES = [IMPORTS / "France_Toulouse_2019.pb",
              IMPORTS / "Poland_Gdynia_2022_Witomino__small.pb",
              IMPORTS / "Hungary_Veszprem_2025.pb", DATA / "Switzerland_Zurich_S5D10.pb",
              DATA / "Netherlands_Amsterdam_179.pb"]
# What a re-count changes by design: the comment (recount facts of each run) and the run's
# counts the writer fills in the same way both times.
RUN_FACTS = {"comment"}


def exported_pb(app, cycle: BudgetCycle, folder):
    """Tally with greedy, publish, export; the one envelope's file as read back."""
    publish_and_export(app, cycle, "greedy", folder)
    [path] = sorted(folder.glob("*.pb"))
    return path, read_pabulib(path)


def checker_errors(path) -> dict:
    results = Checker().process_files([path.read_text(encoding="utf-8")])
    return results[next(k for k in results if k not in ("summary", "metadata"))]["results"] \
        .get("errors", {})


@pytest.mark.parametrize("name", KEPT_FILES, ids=lambda p: p.stem)
def test_an_import_of_an_export_of_an_import_gives_the_same_meta_and_projects(
        app, session, tmp_path, name):
    source = read_pabulib(name)
    path, first = exported_pb(app, import_files(app, name), tmp_path / "a")
    assert checker_errors(path) == {}
    _, second = exported_pb(app, import_files(app, path), tmp_path / "b")
    assert {k: v for k, v in second.meta.items() if k not in RUN_FACTS} \
        == {k: v for k, v in first.meta.items() if k not in RUN_FACTS}
    assert second.projects == first.projects  # ids, costs, names, categories..., selected
    assert list(first.projects) and set(first.projects) == set(source.projects)
    for key in ("date_begin", "date_end", "instance", "edition", "currency", "language",
                "description", "unit"):
        assert first.meta.get(key) == source.meta.get(key), key
    for pid, cells in source.projects.items():
        kept = {k: v for k, v in cells.items() if k not in ("votes", "selected")}
        assert {k: first.projects[pid][k] for k in kept} | {"cost": cells["cost"]} == kept
