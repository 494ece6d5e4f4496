"""`flask budget export CYCLE_ID --format FORMAT --output PATH [--run RUN_ID]`.

Writes the results of a stored tally run: by default the cycle's published run; `--run` picks
another run of the same cycle (an unpublished run is marked as a preview). `pb` writes a folder
with one Pabulib file per envelope. Exit codes: 0 written; 2 nothing to export (no such cycle
or run, no published run) or a bad option; 1 the file could not be written.
"""
from __future__ import annotations

from pathlib import Path

import click

from budget.commands.progress import progress_bar, progress_option

FORMAT_NAMES = ("csv", "xlsx", "pdf", "json", "pb")


def _run_to_export(cycle_id: int, run_id: int | None):
    """(cycle, run) or a click error (exit code 2) saying what is missing."""
    from budget.extensions import db
    from budget.models import BudgetCycle, TallyRun

    cycle = db.session.get(BudgetCycle, cycle_id)
    if cycle is None:
        raise click.UsageError(f"No budget cycle has the id {cycle_id}.")
    if run_id is None:
        run = cycle.published_run
        if run is None:
            raise click.UsageError(
                f"Cycle {cycle_id} has no published tally run. Publish one, or choose a run "
                f"with --run (runs of this cycle: "
                f"{', '.join(str(r.id) for r in cycle.tally_runs) or 'none'}).")
        return cycle, run
    run = db.session.get(TallyRun, run_id)
    if run is None or run.cycle_id != cycle.id:
        raise click.UsageError(f"Tally run {run_id} is not a run of cycle {cycle_id}.")
    return cycle, run


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"Cannot write {path}: {error.strerror or error}.") from None


@click.command("export")
@click.argument("cycle_id", type=int)
@click.option("--format", "format_name", type=click.Choice(FORMAT_NAMES), required=True,
              help="csv, xlsx, pdf, json (open data), or pb (a folder of Pabulib files).")
@click.option("--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (for pb: the folder, created if needed).")
@click.option("--run", "run_id", type=int, default=None,
              help="A tally run of the cycle (default: the published run).")
@progress_option
def export_command(cycle_id: int, format_name: str, output: Path, run_id: int | None,
                   show_progress: bool | None) -> None:
    """Export the results of a budget cycle from a stored tally run."""
    from budget.services import exports

    cycle, run = _run_to_export(cycle_id, run_id)
    report = exports.build_report(cycle, run)
    if report.preview:
        click.echo(f"Note: run {run.id} is not published; the export is marked as a preview.",
                   err=True)
    if format_name != "pb":
        if output.is_dir():
            raise click.UsageError(f"{output} is a folder; give a file name, e.g. "
                                   f"{output / exports.filename(report, format_name)}.")
        with progress_bar(show_progress, 1, f"Writing {format_name}") as advance:
            _write(output, exports.FORMATS[format_name].render(report))
            advance(1)
        click.echo(f"Wrote {output} (run {run.id}, fingerprint {run.fingerprint}).")
        return
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"{output} is a file; pb writes a folder, one file per envelope.")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"Cannot create {output}: {error.strerror or error}.") from None
    written = []
    with progress_bar(show_progress, len(report.envelopes), "Writing envelopes") as advance:
        for envelope in report.envelopes:
            path = output / exports.pb_filename(report, envelope.id)
            _write(path, exports.render_pb(report, envelope.id))
            written.append(f"Wrote {path} (envelope fingerprint {envelope.fingerprint}).")
            advance(1)
    for line in written:  # after the bar, so that the two do not mix on a terminal
        click.echo(line)
