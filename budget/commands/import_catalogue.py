"""`flask budget import-catalogue FILE`."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("import-catalogue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_catalogue_command(file: str) -> None:
    """Add another territory's projects to the catalogue: a Pabulib FILE (.pb, its projects
    only) or another installation's open-data export (.json). All or nothing: on an error
    (in French, with its line) nothing is imported (exit code 2). A file imported before adds
    nothing. The number of projects added is alone on the last line of stdout.
    """
    from flask_babel import force_locale, gettext

    from budget.blueprints.catalogue.wording import refusal
    from budget.domain.catalogue_files import FileRefused
    from budget.services import catalogue_import
    from budget.services.policy import SYSTEM_OPERATOR

    try:
        added = catalogue_import.import_file(SYSTEM_OPERATOR, Path(file).name,
                                             Path(file).read_bytes())
    except FileRefused as error:
        with force_locale("fr"):
            nothing = gettext("Nothing was imported.")
            click.echo(f"{Path(file).name}\u202f: {refusal(error)} {nothing}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(f"{added} project(s) added to the catalogue from {Path(file).name}.")
    click.echo(added)
