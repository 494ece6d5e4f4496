"""`flask budget send-digests`: run once a day by a timer (deploy/systemd)."""
from __future__ import annotations

import click


@click.command("send-digests")
def send_digests_command() -> None:
    """Email each follower the day's news of the proposals they follow, in one email
    (services/follow_digest.py)."""
    from budget.jobs.tasks import send_follow_digests

    click.echo(f"Digests sent: {send_follow_digests()['sent']}.")
