"""With Redis (production), jobs and emails are queued in few round trips: every ballot sends
its receipt email, so the ballot's answer waits on it. Uses the local Redis service (database
11 or 12) with a list of emails of its own; the jobs are removed afterwards, and no worker
runs them."""
import json
import secrets
from contextlib import contextmanager

import pytest
from redis.client import Pipeline

from budget import create_app, jobs, mail
from budget.jobs import emails, tasks
from budget.ops.redis import redis_connection
from tests.conftest import TEST_DATABASE_URL

# One database for each of the two suites that CI runs side by side (SQLite and PostgreSQL).
REDIS_URL = f"redis://127.0.0.1:6379/{12 if TEST_DATABASE_URL else 11}"


@pytest.fixture
def queued_app():
    app = create_app("testing", REDIS_URL=REDIS_URL,
                     EMAIL_LIST_KEY=f"test:emails:{secrets.token_hex(4)}")
    with app.app_context(), app.test_request_context():
        yield app
        key = app.config["EMAIL_LIST_KEY"]
        redis_connection().delete(key, f"{key}:sending", f"{key}:sender")


@pytest.fixture
def started(monkeypatch):
    """The ids of the jobs started during the test, removed from the queue afterwards."""
    ids, enqueue = [], jobs.enqueue

    def recorded(task, *args, **options):
        ids.append((task, enqueue(task, *args, **options)))
        return ids[-1][1]

    monkeypatch.setattr(jobs, "enqueue", recorded)
    yield ids
    for _, job_id in ids:
        jobs.job_queue().remove(job_id)
        redis_connection().delete(f"rq:job:{job_id}")


@contextmanager
def round_trips(client):
    """The commands sent to Redis inside the block (a pipeline counts as one)."""
    sent = []
    single = client.execute_command
    batch = Pipeline.execute

    def one(*args, **options):
        sent.append(str(args[0]))
        return single(*args, **options)

    def many(pipe, *args, **options):
        sent.append(f"pipeline of {len(pipe.command_stack)}")
        return batch(pipe, *args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(client, "execute_command", one)
        patch.setattr(Pipeline, "execute", many)
        yield sent


def test_a_job_is_queued_in_one_round_trip(queued_app, started):
    jobs.enqueue("send_email", "warm-up@example.fr", "s", "b")  # RQ asks Redis's version once
    with round_trips(redis_connection()) as sent:
        job_id = jobs.enqueue("send_email", "alice@example.fr", "Reçu", "corps", started_by=7)
    assert len(sent) == 1 and sent[0].startswith("pipeline"), sent
    status = jobs.find(job_id)
    assert (status.task, status.state, status.started_by) == ("send_email", "queued", 7)
    assert job_id in jobs.job_queue().get_job_ids()


def test_emails_wait_in_a_list_emptied_by_one_job(queued_app, started):
    jobs.enqueue_email("a@example.fr", "Reçu", "code 1")
    assert [task for task, _ in started] == ["send_queued_emails"]
    with round_trips(redis_connection()) as sent:
        jobs.enqueue_email("b@example.fr", "Reçu", "code 2")
        jobs.enqueue_email("c@example.fr", "Reçu", "code 3")
    assert sent == ["RPUSH", "RPUSH"]  # the list was not empty: no more jobs
    assert tasks.send_queued_emails() == {"sent": 3}
    assert [(m["To"], m.get_content().strip()) for m in mail.outbox()] == [
        ("a@example.fr", "code 1"), ("b@example.fr", "code 2"), ("c@example.fr", "code 3")]
    assert redis_connection().llen(queued_app.config["EMAIL_LIST_KEY"]) == 0
    jobs.enqueue_email("d@example.fr", "Reçu", "code 4")  # the list was empty again: a new job
    assert [task for task, _ in started] == ["send_queued_emails"] * 2


def stored_job_arguments() -> list:
    """The arguments of every RQ job kept in Redis (queued, scheduled, failed...)."""
    from rq.job import Job

    client = redis_connection()
    ids = [key.decode().split(":", 2)[2] for key in client.scan_iter("rq:job:*")
           if key.count(b":") == 2]
    arguments = []
    for job_id in ids:
        try:
            arguments.append(Job.fetch(job_id, connection=client).args)
        except Exception:  # noqa: BLE001 (another suite's job, gone meanwhile)
            continue
    return arguments


def test_an_email_that_fails_leaves_no_job_holding_its_body(queued_app, started, monkeypatch):
    """A failing email waits in the list for the job's retry; no RQ job (kept 30 days when it
    fails for good) carries its address or body."""
    deliver = mail.deliver
    body = f"code {secrets.token_hex(8)}"

    def flaky(to, subject, text, *args, **kwargs):
        if to == "down@example.fr":
            raise OSError("mail server unreachable")
        deliver(to, subject, text, *args, **kwargs)

    monkeypatch.setattr(mail, "deliver", flaky)
    for to in ("a@example.fr", "down@example.fr", "b@example.fr"):
        jobs.enqueue_email(to, "Reçu", body)
    with pytest.raises(OSError):
        tasks.send_queued_emails()  # the job fails: RQ retries it later (it has no arguments)
    assert [m["To"] for m in mail.outbox()] == ["a@example.fr"]
    last = json.loads(redis_connection().lindex(queued_app.config["EMAIL_LIST_KEY"], -1))
    assert (last["to"], last["body"], last["attempts"]) == ("down@example.fr", body, 1)
    assert redis_connection().llen(queued_app.config["EMAIL_LIST_KEY"] + ":sending") == 0
    assert not [args for args in stored_job_arguments()
                if any(body in str(a) or "down@" in str(a) for a in args)]
    monkeypatch.setattr(mail, "deliver", deliver)  # the server is back: the retry sends both
    assert tasks.send_queued_emails() == {"sent": 2}
    assert [m["To"] for m in mail.outbox()] == ["a@example.fr", "b@example.fr",
                                                "down@example.fr"]


def test_an_email_refused_for_good_is_dropped_and_logged_without_its_address(
        queued_app, started, monkeypatch, caplog):
    import smtplib

    def refused(to, subject, text, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({to: (550, b"no such user")})

    monkeypatch.setattr(mail, "deliver", refused)
    jobs.enqueue_email("gone@example.fr", "Reçu", "code")
    assert tasks.send_queued_emails() == {"sent": 0}
    assert redis_connection().llen(queued_app.config["EMAIL_LIST_KEY"]) == 0
    assert "dropped after 1 attempt(s): SMTPRecipientsRefused" in caplog.text
    assert "gone@" not in caplog.text


def test_a_sender_that_finds_the_lease_held_comes_back_once_it_is_over(queued_app, started):
    key = queued_app.config["EMAIL_LIST_KEY"]
    registry = jobs.job_queue().scheduled_job_registry
    before = set(registry.get_job_ids())
    jobs.enqueue_email("a@example.fr", "Reçu", "code")
    other = redis_connection().lock(f"{key}:sender", timeout=60)
    assert other.acquire(blocking=False)  # another sender is at work
    try:
        assert tasks.send_queued_emails() == {"sent": 0, "busy": True}
    finally:
        other.release()
    [later] = set(registry.get_job_ids()) - before
    try:
        assert jobs.job_queue().fetch_job(later).args == ()
        assert redis_connection().llen(key) == 1 and mail.outbox() == []
    finally:
        registry.remove(later, delete_job=True)


def test_a_long_list_is_handed_over_to_a_new_job(queued_app, started, monkeypatch):
    monkeypatch.setattr(emails, "EMAILS_PER_JOB", 2)
    for n in range(3):
        jobs.enqueue_email(f"{n}@example.fr", "Reçu", "code")
    assert tasks.send_queued_emails() == {"sent": 2}
    assert [task for task, _ in started] == ["send_queued_emails"] * 2
    assert redis_connection().llen(queued_app.config["EMAIL_LIST_KEY"]) == 1


def test_a_starting_worker_sends_what_was_left_waiting(queued_app):
    """Had the job emptying the list been lost, the next worker to start empties it."""
    for n in range(2):
        redis_connection().rpush(queued_app.config["EMAIL_LIST_KEY"],
                                 json.dumps([f"{n}@example.fr", "Reçu", "code"]))
    result = queued_app.test_cli_runner().invoke(args=["budget", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in mail.outbox()] == ["0@example.fr", "1@example.fr"]
