"""What a background job can do: one function per task, named in TASKS.

Each takes plain ids (a job outlives the request that started it) and runs inside the app
context that `flask budget worker` (or the request, inline) provides; the worker drops the
database session after each job.
"""
from __future__ import annotations

import logging

from budget.extensions import db

log = logging.getLogger("budget.jobs")
EMAILS_PER_JOB = 1_000
MAX_EMAIL_ATTEMPTS = 10  # each a job run; the job itself is retried (JOB_RETRY_INTERVALS)


def send_email(to: str, subject: str, body: str) -> None:
    from budget import mail

    mail.deliver(to, subject, body)


def send_queued_emails() -> dict:
    """Send the emails waiting in the list (jobs.enqueue_email) until it is empty; after
    EMAILS_PER_JOB of them, hand over to a new job (a job has a time limit).

    An email the mail server refuses for good (an unknown recipient) is dropped and logged
    without its address. Any other failure puts it back at the end of the list and fails the
    job, which RQ retries (JOB_RETRY_INTERVALS): the job has no arguments, so neither the
    retry nor a job that failed for good keeps an address or a body in Redis; the email waits
    in the list for the next job, and is dropped after MAX_EMAIL_ATTEMPTS."""
    import json

    from flask import current_app

    from budget import jobs, mail
    from budget.ops.redis import redis_connection

    redis = redis_connection()
    key, sent = current_app.config["EMAIL_LIST_KEY"], 0
    for _ in range(EMAILS_PER_JOB):
        waiting = redis.lpop(key)
        if waiting is None:
            return {"sent": sent}
        to, subject, body, *rest = json.loads(waiting)
        attempts = rest[0] if rest else 0
        try:
            mail.deliver(to, subject, body)
            sent += 1
        except Exception as error:
            if mail.refused_for_good(error):
                log.error("email to %s refused by the mail server, dropped: %s",
                          mail.recipient_hash(to), type(error).__name__)
                continue
            if attempts + 1 >= MAX_EMAIL_ATTEMPTS:
                log.error("email to %s dropped after %d attempts", mail.recipient_hash(to),
                          attempts + 1)
                continue
            redis.rpush(key, json.dumps([to, subject, body, attempts + 1]))
            raise
    jobs.enqueue("send_queued_emails")
    return {"sent": sent}


def export_report(cycle_id: int, run_id: int, format_name: str, preview: bool) -> dict:
    """The export as {"filename", "mimetype", "data"} for its download page."""
    from budget.models import BudgetCycle, TallyRun
    from budget.services import exports

    cycle, run = db.session.get(BudgetCycle, cycle_id), db.session.get(TallyRun, run_id)
    report = exports.build_report(cycle, run, preview=preview)
    export = exports.FORMATS[format_name]
    return {"filename": exports.filename(report, format_name), "mimetype": export.mimetype,
            "data": export.render(report)}


def run_tally(cycle_id: int, user_id: int) -> dict:
    """Tally a closed vote for the staff member who asked; the stored run's id."""
    from budget.models import BudgetCycle, User
    from budget.services import tally

    user, cycle = db.session.get(User, user_id), db.session.get(BudgetCycle, cycle_id)
    run = tally.run_tally(user, cycle)
    return {"run_id": run.id, "cycle_id": cycle_id}


def notify_results(cycle_id: int, results_url: str | None) -> dict:
    """Email the residents who asked for the results (one send_email job each): started by
    publication, so that publishing does not wait for thousands of messages to be queued."""
    from budget.models import BudgetCycle
    from budget.services import notifications

    cycle = db.session.get(BudgetCycle, cycle_id)
    return {"sent": notifications.results_published(cycle, results_url)}


TASKS = {"send_email": send_email, "send_queued_emails": send_queued_emails,
         "export_report": export_report, "run_tally": run_tally,
         "notify_results": notify_results}


def report_failure(job, connection, exc_type, exc_value, tb) -> None:
    """RQ calls this after every failed attempt; the last one is logged as an error."""
    if job.retries_left:
        log.warning("job %s (%s) failed, %d retries left: %s", job.id, job.meta.get("task"),
                    job.retries_left, exc_value)
    else:
        log.error("job %s (%s) failed for good, kept in the failed-job registry: %s",
                  job.id, job.meta.get("task"), exc_value)
