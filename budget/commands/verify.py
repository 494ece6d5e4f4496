"""`flask budget verify FILE.pb --rule R --fingerprint H`: anyone holding an exported envelope
re-runs its tally and checks the published fingerprint. Domain code only: no database."""
from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from budget.domain import recount
from budget.domain.fingerprint import ENGINE_VERSION, envelope_fingerprint
from budget.domain.pabulib import PabulibError, PabulibFile, read_pabulib
from budget.domain.tally import RULES, Outcome, tally


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise click.exceptions.Exit(2)


def _tie_order(pb: PabulibFile) -> list[str] | None:
    """The recount tie order (comma-separated ids, best first), or None when the file has
    none."""
    text = recount.decode(pb.meta).get("tie_order", "").strip()
    return [pid.strip() for pid in text.split(",") if pid.strip()] if text else None


def _fingerprint_differences(pb: PabulibFile, rule: str, expected: str,
                             computed: str) -> list[str]:
    """Why the computed fingerprint is not the expected one, as far as META can tell."""
    found = [f"fingerprint: expected {expected}, the file gives {computed}"]
    meta = recount.decode(pb.meta)
    if meta.get("engine_rule") and meta["engine_rule"] != rule:
        found.append(f"rule: the file was tallied with {meta['engine_rule']!r}, not {rule!r}")
    if meta.get("engine_version") and meta["engine_version"] != ENGINE_VERSION:
        found.append(f"engine: the file comes from engine version {meta['engine_version']}, "
                     f"this is version {ENGINE_VERSION}")
    declared = meta.get("fingerprint")
    if declared == computed:
        found.append("the file matches its own META fingerprint: the expected fingerprint is "
                     "that of another envelope, rule or run")
    elif declared == expected:
        found.append("the file's META fingerprint is the expected one, but its projects, "
                     "budget, ballots or tie order no longer give it: the file was changed "
                     "after the export")
    elif declared:
        found.append(f"the file's META fingerprint {declared} matches neither")
    return found


def _winner_differences(pb: PabulibFile, outcome: Outcome) -> list[str]:
    """Compare the re-run's winners with the PROJECTS `selected` column, when there is one."""
    if not all("selected" in cells for cells in pb.projects.values()):
        return []
    marked = {pid for pid, cells in pb.projects.items() if cells["selected"] == "1"}
    rerun = set(outcome.selected)
    if marked == rerun:
        return []
    return [f"winners: the file marks {sorted(marked - rerun)} selected but the re-run does "
            f"not, and the re-run selects {sorted(rerun - marked)} that the file does not"]


@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--rule", required=True, help="The rule of the published run.")
@click.option("--fingerprint", "expected", required=True,
              help="The published fingerprint of this envelope.")
def verify_command(file: str, rule: str, expected: str) -> None:
    """Re-run the tally of an exported envelope FILE.pb and compare its fingerprint.

    The tie order comes from the recount facts in META (budget.domain.recount); without it,
    pabutools' default (ids sorted as
    text). Exit code 0 on a match, 1 on a mismatch (what differs is listed), 2 on a bad file
    or an unknown rule.
    """
    from budget.services.import_plan import rule_needs_parameters

    name = Path(file).name
    if rule not in RULES:
        _fail(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    if rule_needs_parameters(rule):
        _fail(f"the rule {rule!r} needs parameters, which a published run does not use.")
    try:
        pb = read_pabulib(file)
    except PabulibError as error:
        _fail(f"{name}: {error}")
    except OSError as error:
        _fail(f"{name}: cannot be read ({error.strerror})")
    tie_order = _tie_order(pb)
    if tie_order is None:
        click.echo("No tie_order in META: ties are broken in pabutools' default order "
                   "(project ids sorted as text).")
    try:
        outcome = tally(rule, pb.election, tie_order=tie_order)
    except ValueError as error:  # InvalidElection (e.g. a tie order missing ids), not applicable
        _fail(f"{name}: {error}")
    computed = envelope_fingerprint(rule, pb.election, tie_order or sorted(pb.election.costs))
    click.echo(f"{name}: {len(pb.election.costs)} projects, {pb.election.voter_count} ballots, "
               f"budget {pb.meta['budget']}; rule {rule}: {len(outcome.selected)} winner(s), "
               f"spent {outcome.cost}")
    for pid in outcome.selected:
        title = pb.projects[pid].get("name", "")
        click.echo(f"  {pid}  cost {pb.election.costs[pid]}  {title}".rstrip())
    differences = [] if computed == expected else _fingerprint_differences(
        pb, rule, expected, computed)
    differences += _winner_differences(pb, outcome)
    if not differences:
        click.echo(f"MATCH: the file gives the fingerprint {computed}")
        return
    click.echo("MISMATCH:")
    for difference in differences:
        click.echo(f"  - {difference}")
    raise click.exceptions.Exit(1)
