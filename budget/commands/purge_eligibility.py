"""`flask budget purge-eligibility CYCLE_ID [--appeal-days N]` and
`flask budget purge-eligibility --all-due` (the daily timer's form)."""
from __future__ import annotations

import click


@click.command("purge-eligibility")
@click.argument("cycle_id", type=int, required=False)
@click.option("--all-due", is_flag=True,
              help="Every cycle whose appeal period is over and which still holds eligibility "
                   "data, instead of CYCLE_ID (nothing to do is a success).")
@click.option("--appeal-days", type=click.IntRange(min=0),
              help="Days after the vote's end during which the vote may be challenged "
                   "(default: two calendar months, the French administrative appeal delay).")
def purge_eligibility_command(cycle_id: int | None, all_due: bool,
                              appeal_days: int | None) -> None:
    """Delete a closed cycle's eligibility data (voters' declarations, census list, access
    codes) once the appeal period is over. Refused earlier (exit code 2), saying from when."""
    from budget.domain.errors import DomainError
    from budget.extensions import db
    from budget.models import BudgetCycle
    from budget.ops.duties import record_run
    from budget.services.eligibility import due_for_purge, purge

    if (cycle_id is None) != all_due:
        raise click.UsageError("give either CYCLE_ID or --all-due")
    if all_due:
        cycles = due_for_purge(appeal_days)
        if not cycles:
            click.echo("No cycle's eligibility data is due for deletion.")
    else:
        cycles = [db.session.get(BudgetCycle, cycle_id)]
        if cycles[0] is None:
            click.echo(f"Error: no budget cycle has the id {cycle_id}.", err=True)
            raise click.exceptions.Exit(2)
    for cycle in cycles:
        try:
            counts = purge(cycle, appeal_days)
        except DomainError as error:
            params = {key: value.strftime("%Y-%m-%d %H:%M UTC") if hasattr(value, "strftime")
                      else value for key, value in error.params.items()}
            message = error.message % params if params else error.message
            if all_due:  # the daily duty's form: counted in /metrics
                record_run("purge-eligibility", ok=False, detail=f"cycle {cycle.id}: {message}")
            click.echo(f"Error: {message}", err=True)
            raise click.exceptions.Exit(2) from None
        click.echo(f"Cycle {cycle.id} “{cycle.title}”: deleted " + ", ".join(
            f"{number} {name}" for name, number in counts.items()) + ".")
    if all_due:
        record_run("purge-eligibility", ok=True)
