"""`flask budget verify PATH --fingerprint H [--rule R]`: anyone holding the published `.pb`
files re-runs their tally and checks the published fingerprint. Domain code only: no
database (budget.domain.verification does the checking; this module reads and prints)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import NoReturn

import click

from budget.domain.pabulib import PabulibError, PabulibFile, read_pabulib
from budget.domain.tally import RULES
from budget.domain.tally.mes import core as mes_core
from budget.domain.verification import (EnvelopeCheck, NotVerifiable, check_envelope,
                                        rule_of, verify_run)

# A folder or ZIP from the results page holds a few files per commune: far below this.
MAX_FILES = 10_000


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise click.exceptions.Exit(2)


def _read(path: Path) -> list[tuple[str, PabulibFile]]:
    """(name, file) for a .pb file, every .pb file of a folder, or of a ZIP, sorted by name.
    Exits with code 2 on a file that cannot be read."""
    try:
        if path.is_dir():
            found = sorted(path.glob("*.pb"))[:MAX_FILES + 1]
            named = [(p.name, p) for p in found]
        elif zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            named = [(Path(n).name, n) for n in sorted(archive.namelist())
                     if n.endswith(".pb")][:MAX_FILES + 1]
        else:
            return [(path.name, read_pabulib(path))]
        if not named:
            _fail(f"{path.name}: no .pb file in it")
        if len(named) > MAX_FILES:
            _fail(f"{path.name}: more than {MAX_FILES} .pb files")
        files = []
        for name, where in named:
            source = (io.TextIOWrapper(archive.open(where), encoding="utf-8", newline="")
                      if not path.is_dir() else where)
            try:
                files.append((name, read_pabulib(source)))
            except PabulibError as error:
                _fail(f"{name}: {error}")
        return files
    except PabulibError as error:
        _fail(f"{path.name}: {error}")
    except (OSError, zipfile.BadZipFile) as error:
        _fail(f"{path.name}: cannot be read ({getattr(error, 'strerror', None) or error})")


def _print_check(check: EnvelopeCheck, rule: str) -> None:
    pb, outcome = check.pabulib, check.outcome
    click.echo(f"{check.name}: {len(pb.election.costs)} projects, {pb.election.voter_count} "
               f"ballots, budget {pb.meta['budget']}; rule {rule}: {len(outcome.selected)} "
               f"winner(s), spent {outcome.cost}")
    if not check.tie_order_known:
        click.echo("  No tie_order in META: ties are broken in pabutools' default order "
                   "(project ids sorted as text).")
    for pid in outcome.selected:
        title = pb.projects[pid].get("name", "")
        click.echo(f"  {pid}  cost {pb.election.costs[pid]}  {title}".rstrip())
    click.echo(f"  envelope fingerprint {check.fingerprint}")


@click.command("verify")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--rule", default=None,
              help="The rule of the published run (default: the one the files' META names).")
@click.option("--fingerprint", "expected", required=True,
              help="The published fingerprint: of the run (a folder or ZIP of all its .pb "
                   "files, or the one file of a one-envelope run), or of one envelope.")
def verify_command(path: Path, rule: str | None, expected: str) -> None:
    """Re-run the tally of published Pabulib files and compare the fingerprint.

    PATH is one envelope's .pb file, the folder of every envelope's .pb file of a run, or the
    ZIP the results page offers. Without --rule, the rule is the one the files' META names
    (engine_rule, in the comment). The tie order comes from META too; without it, pabutools'
    default (ids sorted as text). Exit code 0 on a match, 1 on a mismatch (what differs is
    listed), 2 on a bad file or an unknown rule.
    """
    files = _read(path)
    try:
        rule, from_meta = rule_of(files, rule)
    except NotVerifiable as error:
        _fail(str(error))
    if rule not in RULES:
        _fail(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    if RULES[rule].needs_parameters:
        _fail(f"the rule {rule!r} needs parameters, which a published run does not use.")
    if not mes_core.BUILT:      # a pure-Python install (BUDGET_PURE_PYTHON=1): the exact engine
        mes_core.allow_exact_engine()
    click.echo(f"Rule: {rule} ({'read from the files’ META' if from_meta else 'given'}). "
               f"Counting engine: {'compiled MES core' if mes_core.BUILT else 'pure Python'}.")
    checks = []
    for name, pb in files:
        try:
            checks.append(check_envelope(name, pb, rule))
        except ValueError as error:  # InvalidElection (a tie order missing ids), not applicable
            _fail(f"{name}: {error}")
        _print_check(checks[-1], rule)
    try:
        verdict = verify_run(checks, rule, expected)
    except NotVerifiable as error:
        _fail(str(error))
    if verdict.match:
        click.echo(f"MATCH: the {'file gives' if len(checks) == 1 else 'files give'} the "
                   f"{verdict.what} fingerprint {verdict.computed}")
        return
    click.echo("MISMATCH:")
    for difference in verdict.differences:
        click.echo(f"  - {difference}")
    raise click.exceptions.Exit(1)
