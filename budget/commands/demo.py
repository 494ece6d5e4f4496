"""`flask budget demo`."""
from __future__ import annotations

import click


@click.command("demo")
@click.option("--ballots", default=300, show_default=True, help="Synthetic ballots to cast.")
def demo_command(ballots: int) -> None:
    """Load the demo territory, accounts and voting cycles (safe to run twice)."""
    from budget.services.demo import load_demo

    report = load_demo(ballot_count=ballots)
    if report.created:
        click.echo("Created: " + ", ".join(report.created))
    else:
        click.echo("Demo data already present; nothing to do.")
