"""`flask budget import-pb FILE.pb [FILE.pb ...] [--title TEXT]`."""
from __future__ import annotations

import time

import click

from budget.commands.progress import progress_bar, progress_option


@click.command("import-pb")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--title", help="The new cycle's title (default: from the file names).")
@click.option("--intercommunal", type=click.Path(dir_okay=False),
              help="A file for the intercommunal envelope, whose voters are the FILEs' voters "
                   "(same voter_id): each voter's choices in both make one ballot.")
@progress_option
def import_pb_command(files: tuple[str, ...], title: str | None, intercommunal: str | None,
                      show_progress: bool | None) -> None:
    """Import real Pabulib elections (approval or choose-1) as ONE new cycle.

    One envelope and one synthetic commune per FILE (plus the intercommunal envelope of
    --intercommunal, approval files only); the cycle is in its counting phase, ready
    for `flask budget tally`. Imported elections have no voter list: ballots only, no
    participation rows, populations unknown. Every file is checked before anything is
    written: on any error nothing is imported (exit code 2). Warnings and progress go to
    stderr; the new cycle's id is alone on the last line of stdout.
    """
    from flask import current_app

    from budget.domain.pabulib import ReadLimits
    from budget.services.import_intercommunal import plan_with_intercommunal
    from budget.services.import_plan import ImportRefused, plan_import
    from budget.services.importing import import_elections

    config = current_app.config
    limits = ReadLimits(config["PABULIB_MAX_FILE_BYTES"], config["PABULIB_MAX_LINE_CHARS"])
    started = time.perf_counter()
    try:
        plan = (plan_with_intercommunal(list(files), intercommunal, title, limits)
                if intercommunal else plan_import(files, title, limits))
        for warning in plan.warnings:
            click.echo(f"Warning: {warning}", err=True)
        with progress_bar(show_progress, plan.ballots, "Importing ballots") as advance:
            report = import_elections(plan, progress=advance)
    except ImportRefused as error:
        click.echo(f"Error: {error}. Nothing was imported.", err=True)
        raise click.exceptions.Exit(2) from None
    seconds = time.perf_counter() - started
    read = len(plan.files) + bool(plan.intercommunal)
    click.echo(f"Imported {report.projects} projects and {report.ballots} ballots from "
               f"{read} file(s) in {seconds:.1f} s into cycle {report.cycle_id} "
               f"“{plan.title}” (rule {plan.rule}, counting phase).")
    click.echo(report.cycle_id)
