"""Background jobs: emails, exports and PDF reports, tallies of large cycles.

With REDIS_URL set, a job goes to a Redis queue and `flask budget worker` runs it; a job
that raises is retried (JOB_RETRY_INTERVALS in config.py), then kept in RQ's failed-job
registry, logged at ERROR level and counted in the `budget_jobs{state="failed"}` metric,
and shown as failed to the staff member who started it: never dropped. Without Redis (the
embedded default) a job runs at once in the request that started it, so `make run` needs
nothing else.

RQ rather than Celery or Dramatiq: Redis is already there for the rate limits, RQ needs
nothing else (no broker abstraction, no result backend to configure), its job status,
retries and failed-job registry are the features asked for, and it is actively maintained.

    job_id = enqueue("export_report", cycle_id, run_id, "pdf", started_by=user.id)
    job = find(job_id)   # JobStatus or None; job.state in STATES

The queue is infrastructure below the services, which call it: it imports no task. The tasks
(budget/jobs/tasks.py, which call the services) are handed to it by name in create_app
(`register_tasks(tasks.TASKS)`), so that no import goes back up from here.
"""
from __future__ import annotations

import logging
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from prometheus_client import Counter

from budget.jobs import emails
from budget.ops.redis import redis_connection

log = logging.getLogger("budget.jobs")
JOBS_ENQUEUED = Counter("budget_jobs_enqueued_total", "Background jobs started.", ["task"])

QUEUE_NAME = "budget"
STATES = ("queued", "started", "finished", "failed")
RESULT_TTL = 24 * 3600  # a finished export stays downloadable for a day
JOB_TIMEOUT = 30 * 60
INLINE_KEEP = 50  # inline mode keeps the last jobs' results in memory
# Also start a job every so many waiting emails: should the job that empties the list have been
# lost (Redis flushed, a worker killed), the list would otherwise never be found empty again.
EMAIL_RESTART_EVERY = 100
_tasks: dict[str, Callable] = {}  # filled by register_tasks


def register_tasks(tasks: Mapping[str, Callable]) -> None:
    """Make `tasks` (name -> function) startable by name; create_app calls it once."""
    _tasks.update(tasks)


@dataclass(frozen=True)
class JobStatus:
    id: str
    task: str
    state: str
    started_by: int | None
    error: str | None = None
    result: object = None


def job_queue():
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(), default_timeout=JOB_TIMEOUT)


def enqueue(task: str, *args, started_by: int | None = None) -> str:
    """Start `task` (a name given to register_tasks) with `args`; return the job id."""
    function = _tasks[task]
    JOBS_ENQUEUED.labels(task).inc()
    meta = {"task": task, "started_by": started_by}
    if redis_connection() is None:
        return _run_inline(function, args, meta)
    from rq import Callback, Retry

    intervals = current_app.config["JOB_RETRY_INTERVALS"]
    queue = job_queue()
    # One round trip to Redis, not two (RQ registers the queue, then pushes the job): every
    # ballot queues its receipt email.
    with queue.connection.pipeline() as pipe:
        job = queue.enqueue(function, *args, meta=meta, result_ttl=RESULT_TTL,
                            failure_ttl=30 * 24 * 3600, on_failure=Callback(report_failure),
                            retry=Retry(max=len(intervals), interval=intervals), pipeline=pipe)
        pipe.execute()
    return job.id


def enqueue_email(to: str, subject: str, body: str, headers: dict | None = None) -> None:
    """Have the email sent. With Redis, it joins a list (one command: every ballot sends its
    receipt) that a `send_queued_emails` job empties (budget/jobs/emails.py); that job is
    started only by the email that finds the list empty, so on a busy evening, when the list
    is rarely empty, an email costs one command, and RQ's job bookkeeping is paid only while
    the workers keep up."""
    redis = redis_connection()
    if redis is None:
        enqueue("send_email", to, subject, body, headers)
        return
    waiting = redis.rpush(current_app.config["EMAIL_LIST_KEY"],
                          emails.payload(to, subject, body, headers))
    if waiting == 1 or waiting % EMAIL_RESTART_EVERY == 0:
        enqueue("send_queued_emails")


def enqueue_later(task: str, seconds: int) -> None:
    """Start `task` (no arguments) in `seconds`, by the worker's scheduler (Redis only)."""
    JOBS_ENQUEUED.labels(task).inc()
    job_queue().enqueue_in(timedelta(seconds=seconds), _tasks[task],
                           meta={"task": task, "started_by": None}, result_ttl=RESULT_TTL)


def report_failure(job, connection, exc_type, exc_value, tb) -> None:
    """RQ calls this after every failed attempt; the last one is logged as an error."""
    if job.retries_left:
        log.warning("job %s (%s) failed, %d retries left: %s", job.id, job.meta.get("task"),
                    job.retries_left, exc_value)
    else:
        log.error("job %s (%s) failed for good, kept in the failed-job registry: %s",
                  job.id, job.meta.get("task"), exc_value)


def _inline_jobs() -> OrderedDict:
    return current_app.extensions.setdefault("budget_inline_jobs", OrderedDict())


def _run_inline(function, args, meta) -> str:
    job_id = uuid.uuid4().hex
    try:
        result, state, error = function(*args), "finished", None
    except Exception as exc:  # the job's failure is reported, not the request's
        result, state, error = None, "failed", f"{type(exc).__name__}: {exc}"
        current_app.logger.error("job %s (%s) failed: %s", job_id, meta["task"],
                                 traceback.format_exc())
    jobs = _inline_jobs()
    jobs[job_id] = JobStatus(job_id, meta["task"], state, meta["started_by"], error, result)
    while len(jobs) > INLINE_KEEP:
        jobs.popitem(last=False)
    return job_id


def find(job_id: str) -> JobStatus | None:
    if redis_connection() is None:
        return _inline_jobs().get(job_id)
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=redis_connection())
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    state = getattr(status, "value", str(status))
    state = {"deferred": "queued", "scheduled": "queued", "stopped": "failed",
             "canceled": "failed"}.get(state, state)
    last = job.latest_result() if state == "failed" else None
    error = last.exc_string.strip().splitlines()[-1] if last and last.exc_string else None
    return JobStatus(job.id, job.meta.get("task", ""), state, job.meta.get("started_by"),
                     error, job.return_value() if state == "finished" else None)


def queue_counts() -> dict[str, int]:
    """How many jobs wait, run, or failed for good (empty without Redis)."""
    if redis_connection() is None:
        return {}
    queue = job_queue()
    return {"queued": queue.count + queue.scheduled_job_registry.count,
            "started": queue.started_job_registry.count,
            "failed": queue.failed_job_registry.count}
