"""With Redis (production), a job goes to RQ's queue in one round trip: every ballot queues its
receipt email, so the ballot's answer waits on it. Uses the local Redis service (database 11);
the job is removed afterwards, and no worker runs it."""
import pytest
from redis.client import Pipeline

from budget import create_app, jobs
from budget.ops.redis import redis_connection

REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def queued_app():
    app = create_app("testing", REDIS_URL=REDIS_URL)
    with app.app_context(), app.test_request_context():
        yield app


def round_trips(monkeypatch, client) -> list[str]:
    sent = []
    single = client.execute_command
    batch = Pipeline.execute

    def one(*args, **options):
        sent.append(str(args[0]))
        return single(*args, **options)

    def many(pipe, *args, **options):
        sent.append(f"pipeline of {len(pipe.command_stack)}")
        return batch(pipe, *args, **options)

    monkeypatch.setattr(client, "execute_command", one)
    monkeypatch.setattr(Pipeline, "execute", many)
    return sent


def test_a_job_is_queued_in_one_round_trip(queued_app, monkeypatch):
    job_ids = [jobs.enqueue("send_email", "warm-up@example.fr", "s", "b")]  # RQ asks INFO once
    sent = round_trips(monkeypatch, redis_connection())
    try:
        job_ids.append(jobs.enqueue("send_email", "alice@example.fr", "Reçu", "corps",
                                    started_by=7))
        assert len(sent) == 1 and sent[0].startswith("pipeline"), sent
        monkeypatch.undo()
        status = jobs.find(job_ids[-1])
        assert (status.task, status.state, status.started_by) == ("send_email", "queued", 7)
        assert job_ids[-1] in jobs.job_queue().get_job_ids()
    finally:
        monkeypatch.undo()
        for job_id in job_ids:
            jobs.job_queue().remove(job_id)
            redis_connection().delete(f"rq:job:{job_id}")
