"""`flask budget remove-second-factor EMAIL`."""
from __future__ import annotations

import click


@click.command("remove-second-factor")
@click.argument("email")
def remove_second_factor_command(email: str) -> None:
    """Remove the sign-in codes of the account EMAIL (a lost phone and lost recovery codes):
    its sessions end, and its next sign-in sets up new codes. Check who asks first. Exit code 2
    when no account has this address."""
    from sqlalchemy import select

    from budget.extensions import db
    from budget.models import User
    from budget.services import policy, second_factor
    from budget.services.accounts import normalize_email

    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        click.echo(f"Error: no account has the address {email}.", err=True)
        raise click.exceptions.Exit(2)
    if second_factor.remove(user, policy.SYSTEM_OPERATOR):
        click.echo(f"The second factor of {user.email} is removed; its sessions are ended.")
    else:
        click.echo(f"{user.email} had no second factor.")
