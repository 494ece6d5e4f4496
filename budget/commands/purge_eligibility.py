"""`flask budget purge-eligibility CYCLE_ID [--appeal-days N]`."""
from __future__ import annotations

import click


@click.command("purge-eligibility")
@click.argument("cycle_id", type=int)
@click.option("--appeal-days", type=click.IntRange(min=0),
              help="Days after the vote's end during which the vote may be challenged "
                   "(default: two calendar months, the French administrative appeal delay).")
def purge_eligibility_command(cycle_id: int, appeal_days: int | None) -> None:
    """Delete a closed cycle's eligibility data (voters' declarations, census list, access
    codes) once the appeal period is over. Refused earlier (exit code 2), saying from when."""
    from budget.domain.errors import DomainError
    from budget.extensions import db
    from budget.models import BudgetCycle
    from budget.services.eligibility import purge

    cycle = db.session.get(BudgetCycle, cycle_id)
    if cycle is None:
        click.echo(f"Error: no budget cycle has the id {cycle_id}.", err=True)
        raise click.exceptions.Exit(2)
    try:
        counts = purge(cycle, appeal_days)
    except DomainError as error:
        params = {key: value.strftime("%Y-%m-%d %H:%M UTC") if hasattr(value, "strftime")
                  else value for key, value in error.params.items()}
        click.echo(f"Error: {error.message % params if params else error.message}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(f"Cycle {cycle.id} “{cycle.title}”: deleted " + ", ".join(
        f"{number} {name}" for name, number in counts.items()) + ".")
