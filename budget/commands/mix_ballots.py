"""`flask budget mix-ballots`: run by a timer every few minutes (deploy/systemd)."""
from __future__ import annotations

import click


@click.command("mix-ballots")
def mix_ballots_command() -> None:
    """Move the online ballots waiting in the inbox into the ballot box, shuffled among older
    ones (services/ballot_box.py): run every few minutes during a vote, so that no ballot
    waits beside its participation for long."""
    from budget.services import ballot_box

    click.echo(f"{ballot_box.mix()} ballots mixed into the box.")
