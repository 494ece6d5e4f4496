"""`flask budget backup FILE` and `flask budget restore FILE`."""
from __future__ import annotations

import click


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup_command(target: str) -> None:
    """Write a consistent copy of the whole database to TARGET, while the site keeps running
    (SQLite: its online backup API; PostgreSQL: pg_dump, custom format). Exit code 2 on error."""
    from budget.services.backup import BackupError, backup

    try:
        path = backup(target)
    except BackupError as error:
        click.echo(f"Error: {error}. No backup was written.", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@click.confirmation_option(prompt="Replace every row of the database by the backup's?")
def restore_command(source: str) -> None:
    """Replace the database's data by a backup made with `flask budget backup` (all or nothing).
    Stop the site first; afterwards run `flask db upgrade` if the backup is older than the code."""
    from budget.services.backup import BackupError, restore

    try:
        restore(source)
    except BackupError as error:
        click.echo(f"Error: {error}. The database was not changed.", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(f"Restored from {source}.")
