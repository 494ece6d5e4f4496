"""`flask budget tally CYCLE_ID [--rule NAME] [--publish]`."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import NoReturn

import click

from budget.commands.progress import progress_bar, progress_option
from budget.links import public_url


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise click.exceptions.Exit(2)


@contextmanager
def _kept_after_commit(session):
    """The session keeps the objects it commits in the block until the block ends (then they
    are expired, as a commit leaves them): the summary is printed from the result just
    computed, not read back (a city's is megabytes of JSON)."""
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = expiring
        session.expire_all()


@click.command("tally")
@click.argument("cycle_id", type=int)
@click.option("--rule", help="A tally rule of the registry (default: the cycle's rule).")
@click.option("--publish", is_flag=True, help="Publish the run once it is stored.")
@progress_option
def tally_command(cycle_id: int, rule: str | None, publish: bool,
                  show_progress: bool | None) -> None:
    """Tally a closed vote as the system operator and store the run; optionally publish it.

    Prints, per envelope, the winners and the money spent, then the run's fingerprint alone on
    the last line. Errors (unknown cycle or rule, wrong phase) go to stderr, exit code 2.
    """
    # The application's own objects (modules, mappings, routes) live as long as this process:
    # frozen out of the collector, which otherwise walks them again at every full collection
    # while the tally makes its tens of thousands of ballot objects (0.2-0.4 s on Warszawa).
    gc.freeze()
    # And the collector waits until the command is over (the command is a process of its own;
    # in the tests it is not): Paris's stored result is half a million objects, walked two or
    # three times by the collections that follow the tally otherwise.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _tally(cycle_id, rule, publish, show_progress)
    finally:
        if collecting:
            gc.enable()


def _tally(cycle_id: int, rule: str | None, publish: bool, show_progress: bool | None) -> None:
    from budget.domain.errors import DomainError
    from budget.domain.tally import RULES
    from budget.extensions import db
    from budget.models import BudgetCycle
    from budget.services import stored_result
    from budget.services import tally as tally_service
    from budget.services.policy import SYSTEM_OPERATOR

    cycle = db.session.get(BudgetCycle, cycle_id)
    if cycle is None:
        _fail(f"no budget cycle has the id {cycle_id}.")
    effective_rule = rule or cycle.tally_rule
    if effective_rule in RULES and RULES[effective_rule].needs_parameters:
        _fail(f"the rule {effective_rule!r} needs parameters, which a cycle does not store.")
    try:
        with progress_bar(show_progress, len(cycle.envelopes), "Tallying envelopes") as advance, \
                _kept_after_commit(db.session()):
            run = tally_service.run_tally(SYSTEM_OPERATOR, cycle, rule=rule, progress=advance)
            result = stored_result.read(run.result)
        if publish:
            run = tally_service.publish(SYSTEM_OPERATOR, cycle, run.id, public_url(
                "results.results_page", cycle_id=cycle.id))
    except DomainError as error:
        _fail(error.message % error.params if error.params else error.message)
    except ValueError as error:  # UnknownRule, RuleNotApplicable, InvalidElection
        _fail(str(error))
    state = "published" if run.published_at else "stored, not published"
    click.echo(f"Cycle {cycle.id} “{cycle.title}”: run {run.id} with rule {run.rule} over "
               f"{result.ballots:,} ballots, {state}.")
    for envelope in result.envelopes:
        click.echo(f"  {envelope.name or 'Intercommunal'}: {len(envelope.winners)} winner(s) "
                   f"of {len(envelope.projects)}, spent €{envelope.spent:,} of "
                   f"€{envelope.amount:,}")
    click.echo(run.fingerprint)
