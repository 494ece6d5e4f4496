"""What a background job can do: one function per task, named in TASKS.

Each takes plain ids (a job outlives the request that started it) and runs inside the app
context that `flask budget worker` (or the request, inline) provides; the worker drops the
database session after each job. They sit above the services they call: the queue
(budget.jobs) never imports this module; create_app registers TASKS with it.
"""
from __future__ import annotations

from flask import current_app

from budget import jobs, mail
from budget.extensions import db
from budget.jobs import emails
from budget.links import public_url
from budget.models import BudgetCycle, TallyRun, User
from budget.ops.redis import redis_connection
from budget.services import ballot_box, exports, follow_digest, notifications, tally


def send_email(to: str, subject: str, body: str, headers: dict | None = None) -> None:
    """Without Redis only (run at once, inline): with Redis, emails wait in a list."""
    mail.deliver(to, subject, body, headers)


def send_queued_emails() -> dict:
    """Send the emails waiting in Redis (budget/jobs/emails.py); hand over to a new job after
    EMAILS_PER_JOB of them (a job has a time limit), or once the sender holding the lease is
    done."""
    redis = redis_connection()
    result = emails.send_waiting(redis)
    if result.get("busy"):
        jobs.enqueue_later("send_queued_emails", current_app.config["EMAIL_LEASE_SECONDS"])
    elif result.pop("more", False) or emails.left_behind(redis):
        jobs.enqueue("send_queued_emails")  # some arrived while the lease was held
    return result


def mix_ballots() -> dict:
    """Move the ballots waiting in the inbox into the box (services/ballot_box.py)."""
    return {"mixed": ballot_box.mix()}


def export_report(cycle_id: int, run_id: int, format_name: str, preview: bool) -> dict:
    """The export as {"filename", "mimetype", "data"} for its download page."""
    cycle, run = db.session.get(BudgetCycle, cycle_id), db.session.get(TallyRun, run_id)
    report = exports.build_report(cycle, run, preview=preview)
    export = exports.FORMATS[format_name]
    return {"filename": exports.filename(report, format_name), "mimetype": export.mimetype,
            "data": export.render(report)}


def run_tally(cycle_id: int, user_id: int) -> dict:
    """Tally a closed vote for the staff member who asked; the stored run's id."""
    user, cycle = db.session.get(User, user_id), db.session.get(BudgetCycle, cycle_id)
    run = tally.run_tally(user, cycle)
    return {"run_id": run.id, "cycle_id": cycle_id}


def notify_results(cycle_id: int, results_url: str | None) -> dict:
    """Email the residents who asked for the results (one send_email job each): started by
    publication, so that publishing does not wait for thousands of messages to be queued."""
    cycle = db.session.get(BudgetCycle, cycle_id)
    return {"sent": notifications.results_published(
        cycle, results_url, lambda token: public_url("auth.unsubscribe", token=token))}


def send_follow_digests() -> dict:
    """The daily digest of the followed proposals (services/follow_digest.py)."""
    return {"sent": follow_digest.send_digests(
        lambda proposal_id: public_url("public.proposal_page", proposal_id=proposal_id),
        lambda token: public_url("discuss.unfollow_link", token=token))}


TASKS = {"send_email": send_email, "send_queued_emails": send_queued_emails,
         "export_report": export_report, "run_tally": run_tally,
         "notify_results": notify_results,
         "mix_ballots": mix_ballots, "send_follow_digests": send_follow_digests}

