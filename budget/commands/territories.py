"""`flask budget import-territories FILE.csv`: intercommunalités and communes from a CSV (the
DGCL's EPCI register or our short format), all rows or none, as the admin page does."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from budget.domain.errors import DomainError, InvalidSetup
from budget.services.policy import SYSTEM_OPERATOR
from budget.services.territories import import_territories


@click.command("import-territories")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_territories_command(path: Path) -> None:
    """Import intercommunalités and communes from a CSV file."""
    try:
        report = import_territories(SYSTEM_OPERATOR, path.read_bytes())
    except DomainError as error:
        problems = error.problems if isinstance(error, InvalidSetup) else [error]
        for problem in problems:
            click.echo(f"Error: {problem.message % problem.params}", err=True)
        click.echo("Nothing was imported.", err=True)
        raise click.exceptions.Exit(2) from None
    epcis = len(report.created_epcis)
    click.echo(f"{epcis} {'intercommunality' if epcis == 1 else 'intercommunalities'} created, "
               f"{report.created_communes} commune{'' if report.created_communes == 1 else 's'} "
               f"created, {report.updated_communes} updated, {report.unchanged_communes} "
               "unchanged.")
