"""`flask budget backup FILE` and `flask budget restore FILE`."""
from __future__ import annotations

import click


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, writable=True))
@click.option("--into", "folder", type=click.Path(file_okay=False, exists=True, writable=True),
              help="Write budget-<UTC time>.backup into this folder instead of TARGET, and "
                   "delete the oldest such backups beyond --keep (the nightly timer's form).")
@click.option("--keep", type=click.IntRange(min=1), default=14, show_default=True,
              help="With --into: how many backups of that folder to keep.")
def backup_command(target: str | None, folder: str | None, keep: int) -> None:
    """Write a consistent copy of the whole database to TARGET, while the site keeps running
    (SQLite: its online backup API; PostgreSQL: pg_dump, custom format). Exit code 2 on error."""
    from budget.ops.duties import record_run
    from budget.services.backup import BackupError, backup, backup_rotated

    if (target is None) == (folder is None):
        raise click.UsageError("give either TARGET or --into FOLDER")
    removed = []
    try:
        if folder is None:
            path = backup(target)
        else:
            path, removed = backup_rotated(folder, keep)
    except BackupError as error:
        if folder is not None:  # the nightly duty's form: counted in /metrics
            record_run("backup", ok=False, detail=str(error))
        click.echo(f"Error: {error}. No backup was written.", err=True)
        raise click.exceptions.Exit(2) from None
    if folder is not None:
        record_run("backup", ok=True)
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
    for old in removed:
        click.echo(f"Deleted the older backup {old}.")


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
