"""Running the tally of a closed vote, and publishing it."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from budget import jobs
from budget.domain.errors import DomainError
from budget.domain.tally import RULES, UnknownRule
from budget.extensions import db
from budget.models import BudgetCycle, TallyRun
from budget.models.time import utcnow
from budget.services import (audit, ballot_box, catalogue_import, cycles, follows, paper,
                             policy, stored_result, tracking)
from budget.services.policy import Action
from budget.services.tally_result import compute
from budget.services.transaction import unit_of_work, use_case

@use_case
def run_tally(user, cycle: BudgetCycle, rule: str | None = None,
              progress: Callable[[int], None] | None = None) -> TallyRun:
    """Tally the closed vote with `rule` (default: the cycle's rule) and store the run (not yet
    published); progress(1) is called after each envelope. Raises NotAllowed, WrongPhase,
    UnknownRule (a name not in the registry)."""
    policy.check(user, Action.RUN_TALLY, cycle)
    rule = rule or cycle.tally_rule
    if rule not in RULES:
        raise UnknownRule(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    cycles.lock(cycle)  # a paper batch being validated is counted: the tally waits for it
    ballot_box.seal(cycle)
    digest, result = compute(cycle, rule, progress=progress)
    run = TallyRun(cycle_id=cycle.id, rule=rule, fingerprint=digest,
                   result=result, created_by_id=user.id)
    db.session.add(run)
    audit.record(user, "tally.run", run, after={
        "rule": rule, "fingerprint": digest, "ballots": result["ballots"],
        "ballots_by_channel": result["ballots_by_channel"]})
    return run


def check_counts_everything(cycle: BudgetCycle, run: TallyRun) -> None:
    """Raise DomainError unless `run` may be published: no paper batch is still being typed,
    and the run counted every ballot now in the box (asked of the database, not remembered).
    A run made while batches were typed is a preview: it froze nothing, and it says so."""
    waiting = paper.batches_being_typed(cycle)
    if waiting:
        raise DomainError("Paper ballots are still being typed (%(batches)s): validate them, "
                          "then run the tally again before publishing.",
                          batches=", ".join(batch.label for batch in waiting))
    if ballot_box.count(cycle) != stored_result.read(run.result).ballots:
        raise DomainError("Ballots were added since this tally was run: run the tally again "
                          "before publishing.")


def publishable(cycle: BudgetCycle, run: TallyRun) -> DomainError | None:
    """Why `run` cannot be published now, or None (for the staff page)."""
    try:
        check_counts_everything(cycle, run)
    except DomainError as error:
        return error
    return None


def latest_run(cycle: BudgetCycle) -> TallyRun | None:
    return db.session.scalar(select(TallyRun).where(TallyRun.cycle_id == cycle.id)
                             .order_by(TallyRun.id.desc()).limit(1))


def publish(user, cycle: BudgetCycle, run_id: int, results_url: str | None = None) -> TallyRun:
    """Publish the latest run, and make a tracking record for each of its winners (in the same
    transaction); residents who opted in are emailed (with `results_url`, the results page).
    Raises NotAllowed, WrongPhase, DomainError (not this cycle's latest run)."""
    with unit_of_work():
        policy.check(user, Action.PUBLISH_RESULTS, cycle)
        cycles.lock(cycle)
        run = db.session.get(TallyRun, run_id)
        if run is None or run.cycle_id != cycle.id:
            raise DomainError("This tally run does not belong to this cycle.")
        if run.id != latest_run(cycle).id:
            raise DomainError("Only the latest tally run can be published.")
        check_counts_everything(cycle, run)
        run.published_at = utcnow()
        audit.record(user, "tally.publish", run, before={"published_at": None},
                     after={"published_at": run.published_at, "fingerprint": run.fingerprint})
        tracking.create_for_run(user, cycle, run)  # every winner followed to its delivery
        catalogue_import.add_published_winners(cycle, run)  # and shown to other territories
        follows.record_results(cycle, {project.id for _, project
                                       in stored_result.read(run.result).winners})
    jobs.enqueue("notify_results", cycle.id, results_url, started_by=user.id)
    return run


def ballot_count(cycle: BudgetCycle) -> int:
    return ballot_box.count(cycle)
