"""A worker killed (SIGKILL) while it sends an email loses nothing: the email it had taken
waits in the processing list, and the next sender, once the dead one's lease is over, sends
it. Uses the local Redis service (database 11 or 12) with lists of its own."""
import email
import json
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budget import create_app
from budget.jobs import emails
from budget.ops.redis import redis_connection
from tests.mail import smtp_server
from tests.mail.smtp_server import Inbox
from tests.ops.test_job_queue import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
SENDER = """
import sys
from budget import create_app
from budget.jobs import emails
from budget.ops.redis import redis_connection

app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_TO_LOG=False,
                 MAIL_SERVER="127.0.0.1", MAIL_PORT=int(sys.argv[1]), MAIL_USE_TLS=False,
                 REDIS_URL=sys.argv[2], EMAIL_LIST_KEY=sys.argv[3], EMAIL_LEASE_SECONDS=2)
with app.app_context():
    emails.send_waiting(redis_connection())
"""


@pytest.fixture
def list_key():
    key = f"test:emails:{secrets.token_hex(4)}"
    yield key
    app = create_app("testing", REDIS_URL=REDIS_URL)
    with app.app_context():
        redis_connection().delete(key, f"{key}:sending", f"{key}:sender")


def wait_until(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_email_taken_by_a_killed_worker_is_sent_by_the_next(list_key):
    stuck, working = Inbox(hold=True), Inbox()
    slow, good = smtp_server.start(stuck), smtp_server.start(working)
    app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_TO_LOG=False,
                     MAIL_SERVER="127.0.0.1", MAIL_PORT=good.port, MAIL_USE_TLS=False,
                     REDIS_URL=REDIS_URL, EMAIL_LIST_KEY=list_key, EMAIL_LEASE_SECONDS=2)
    try:
        with app.app_context():
            redis = redis_connection()
            redis.rpush(list_key, emails.payload("habitant@example.fr", "Reçu", "code K1LL"))
            worker = subprocess.Popen([sys.executable, "-c", SENDER, str(slow.port), REDIS_URL,
                                       list_key], cwd=ROOT)
            wait_until(lambda: stuck.receiving == 1)  # in the middle of sending it
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            assert redis.llen(list_key) == 0
            [taken] = redis.lrange(f"{list_key}:sending", 0, -1)
            assert json.loads(taken)["body"] == "code K1LL"  # not lost

            assert emails.send_waiting(redis) == {"sent": 0, "busy": True}  # lease not over
            time.sleep(2.2)
            assert emails.send_waiting(redis) == {"sent": 1}
            assert not emails.left_behind(redis)
    finally:
        slow.stop()
        good.stop()
    [raw] = working.messages
    assert email.message_from_string(raw)["To"] == "habitant@example.fr" and "K1LL" in raw
