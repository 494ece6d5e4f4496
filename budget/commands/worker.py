"""`flask budget worker`: run the background jobs of the Redis queue; `flask budget jobs`:
what waits, runs, and failed."""
from __future__ import annotations

import click


def _redis_or_exit():
    from budget.ops.redis import redis_connection

    connection = redis_connection()
    if connection is None:
        click.echo("Error: REDIS_URL is not set; without Redis, jobs run inline in the "
                   "request and no worker is needed.", err=True)
        raise click.exceptions.Exit(2)
    return connection


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, cron).")
def worker_command(burst: bool) -> None:
    """Run jobs until stopped (SIGTERM finishes the current job first).

    One process, no fork per job: the app and its database pool are built once (RQ's
    SimpleWorker). Run several workers for more throughput. The scheduler runs the retries.
    """
    from rq import SimpleWorker

    from budget.extensions import db
    from budget.jobs import QUEUE_NAME, emails, enqueue, job_queue

    class AppWorker(SimpleWorker):
        def perform_job(self, job, queue):
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()  # the next job starts with a clean session

    connection = _redis_or_exit()
    if emails.left_behind(connection):
        # The job emptying the list may have been lost, or a worker killed while sending.
        enqueue("send_queued_emails")
    # Job arguments stay out of the log: an email's body holds a password-reset link.
    worker = AppWorker([job_queue()], connection=connection, log_job_description=False)
    click.echo(f"Worker {worker.name} on queue {QUEUE_NAME!r}.")
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


@click.command("jobs")
def jobs_command() -> None:
    """Counts by state, then every job that failed for good (id, task, last error line)."""
    from budget.jobs import job_queue, find, queue_counts

    _redis_or_exit()
    for state, count in queue_counts().items():
        click.echo(f"{state}: {count}")
    for job_id in job_queue().failed_job_registry.get_job_ids():
        job = find(job_id)
        if job is not None:
            click.echo(f"failed {job.id} {job.task}: {job.error}")
