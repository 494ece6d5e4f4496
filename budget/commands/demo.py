"""`flask budget demo`."""
from __future__ import annotations

import click

from budget.commands.progress import progress_bar, progress_option


@click.command("demo")
@click.option("--ballots", default=300, show_default=True, help="Synthetic ballots to cast.")
@progress_option
def demo_command(ballots: int, show_progress: bool | None) -> None:
    """Load the demo territory, accounts and voting cycles (safe to run twice)."""
    from budget.services.demo import load_demo

    with progress_bar(show_progress, ballots, "Casting synthetic ballots") as advance:
        report = load_demo(ballot_count=ballots, progress=advance)
    if report.created:
        click.echo("Created: " + ", ".join(report.created))
    else:
        click.echo("Demo data already present; nothing to do.")
