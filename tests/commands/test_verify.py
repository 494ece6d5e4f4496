"""`flask budget verify`: re-running an exported envelope's tally from its .pb file."""
from __future__ import annotations

from fractions import Fraction

import pytest

from budget.domain import recount
from budget.domain.fingerprint import (ENGINE_VERSION, election_from_canonical,
                                       envelope_fingerprint, run_fingerprint)
from budget.domain.pabulib import read_pabulib, write_pabulib
from budget.domain.tally import Election, tally
from budget.extensions import db
from budget.models import TallyRun
from tests.commands.helpers import ADD1, CHOOSE_ONE, import_files, invoke

RULE = "mes"


def export(path, election: Election, tie_order: list[str] | None, rule: str = RULE,
           projects: dict | None = None, fingerprint: str | None = None) -> str:
    """Write `election` the way the exporter does: the recount facts (fingerprint,
    run_fingerprint, engine_version, engine_rule, tie_order) in META's comment; `selected` as
    the tally gives it. Returns the fingerprint."""
    fingerprint = fingerprint or envelope_fingerprint(rule, election,
                                                      tie_order or sorted(election.costs))
    selected = set(tally(rule, election, tie_order=tie_order).selected)
    facts = {"fingerprint": fingerprint, "run_fingerprint": run_fingerprint({"1": fingerprint}),
             "engine_version": ENGINE_VERSION, "engine_rule": rule}
    if tie_order is not None:
        facts["tie_order"] = ",".join(tie_order)
    meta = {"description": "export", "unit": "Test", "rule": rule,
            "comment": recount.encode(facts)}
    cells = {pid: dict((projects or {}).get(pid, {}), selected=str(int(pid in selected)))
             for pid in election.costs}
    write_pabulib(path, election, meta, cells)
    return fingerprint


@pytest.fixture
def assen():
    pabulib = read_pabulib(ADD1)
    projects = {pid: {"name": cells["name"]} for pid, cells in pabulib.projects.items()}
    return pabulib.election, sorted(pabulib.election.costs, reverse=True), projects


def test_an_untouched_export_matches_and_shows_its_winners(app, tmp_path, assen):
    election, ties, projects = assen
    fingerprint = export(tmp_path / "e.pb", election, ties, projects=projects)
    result = invoke(app, "verify", tmp_path / "e.pb", "--rule", RULE, "--fingerprint", fingerprint)
    assert result.exit_code == 0, result.output
    assert f"MATCH: the file gives the envelope fingerprint {fingerprint}" in result.stdout
    for pid in tally(RULE, election, tie_order=ties).selected:
        assert f"  {pid}  cost {election.costs[pid]}  {projects[pid]['name']}" in result.stdout


def test_one_changed_ballot_is_a_mismatch_that_says_so(app, tmp_path, assen):
    election, ties, projects = assen
    fingerprint = export(tmp_path / "e.pb", election, ties)
    (ballot, count), *others = election.ballots
    moved = frozenset(set(ballot) ^ {ties[0]})  # one voter adds or drops one project
    changed = Election(election.costs, election.budget,
                       [(ballot, count - 1), (moved, 1), *others] if count > 1
                       else [(moved, 1), *others])
    export(tmp_path / "changed.pb", changed, ties, fingerprint=fingerprint)
    result = invoke(app, "verify", tmp_path / "changed.pb", "--rule", RULE,
                    "--fingerprint", fingerprint)
    assert result.exit_code == 1, result.output
    assert "MISMATCH" in result.stdout and f"expected {fingerprint}" in result.stdout
    assert "the file was changed after the export" in result.stdout


def test_another_rule_or_fingerprint_is_a_mismatch(app, tmp_path, assen):
    election, ties, _ = assen
    fingerprint = export(tmp_path / "e.pb", election, ties)
    other_rule = invoke(app, "verify", tmp_path / "e.pb", "--rule", "greedy",
                        "--fingerprint", fingerprint)
    assert other_rule.exit_code == 1
    assert "the file was tallied with 'mes', not 'greedy'" in other_rule.stdout
    other_print = invoke(app, "verify", tmp_path / "e.pb", "--rule", RULE,
                         "--fingerprint", "0" * 64)
    assert other_print.exit_code == 1
    assert "matches its own META fingerprint" in other_print.stdout


def test_without_tie_order_the_default_order_is_used_and_said(app, tmp_path, assen):
    election, _, _ = assen
    fingerprint = export(tmp_path / "e.pb", election, None)
    result = invoke(app, "verify", tmp_path / "e.pb", "--rule", RULE, "--fingerprint", fingerprint)
    assert result.exit_code == 0, result.output
    assert "No tie_order in META" in result.stdout


def test_a_bad_file_or_rule_exits_with_2(app, tmp_path, assen):
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nbudget;100\n", encoding="utf-8")
    result = invoke(app, "verify", broken, "--rule", RULE, "--fingerprint", "0" * 64)
    assert result.exit_code == 2 and "broken.pb: line 4:" in result.stderr
    election, ties, _ = assen
    fingerprint = export(tmp_path / "e.pb", election, ties)
    result = invoke(app, "verify", tmp_path / "e.pb", "--rule", "nonsense",
                    "--fingerprint", fingerprint)
    assert result.exit_code == 2 and "unknown tally rule 'nonsense'" in result.stderr


def test_a_published_run_of_an_imported_election_verifies(app, session, tmp_path):
    cycle = import_files(app, CHOOSE_ONE)
    tallied = invoke(app, "tally", cycle.id, "--rule", RULE, "--publish")
    assert tallied.exit_code == 0, tallied.output
    run = db.session.get(TallyRun, int(cycle.published_run.id))
    [stored] = run.result["envelopes"]
    election = election_from_canonical(stored["input"])
    assert election.budget == Fraction(stored["amount"])
    export(tmp_path / "envelope.pb", election, stored["input"]["tie_order"],
           fingerprint=stored["fingerprint"])
    result = invoke(app, "verify", tmp_path / "envelope.pb", "--rule", RULE,
                    "--fingerprint", stored["fingerprint"])
    assert result.exit_code == 0, result.output


def test_a_folder_of_files_without_envelope_ids_asks_for_each_envelope_fingerprint(
        app, tmp_path, assen):
    """Exports from before envelope ids were written cannot rebuild a run fingerprint."""
    election, ties, _ = assen
    folder = tmp_path / "run"
    folder.mkdir()
    first = export(folder / "a.pb", election, ties)
    export(folder / "b.pb", election, ties)
    result = invoke(app, "verify", folder, "--rule", RULE, "--fingerprint", first)
    assert result.exit_code == 2
    assert "META has no envelope_id" in result.stderr
    assert "verify each file with its envelope fingerprint" in result.stderr


def test_without_a_rule_the_files_meta_names_it(app, tmp_path, assen):
    election, ties, _ = assen
    fingerprint = export(tmp_path / "e.pb", election, ties)
    result = invoke(app, "verify", tmp_path / "e.pb", "--fingerprint", fingerprint)
    assert result.exit_code == 0, result.output
    assert f"Rule: {RULE} (read from the files’ META)" in result.stdout
