"""`flask budget catalogue-backfill`."""
from __future__ import annotations

import click


@click.command("catalogue-backfill")
def catalogue_backfill_command() -> None:
    """Add the winners of every cycle published before the catalogue existed (publishing adds
    them since). Running it again adds nothing. The number added is alone on the last line."""
    from budget.services import catalogue_import

    added = catalogue_import.add_every_published_winner()
    click.echo(f"{added} published winner(s) added to the catalogue.")
    click.echo(added)
