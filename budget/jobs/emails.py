"""The queue of emails in Redis (with REDIS_URL): a list that requests append to, emptied by
`send_queued_emails` jobs.

An email is never lost between the list and the mail server: a sender takes it with LMOVE
(atomic) into a processing list, and removes it from there only once the server accepted it.
One sender runs at a time, holding a lease (EMAIL_LEASE_SECONDS) renewed at each email; the
next sender to get the lease first puts back at the head of the list whatever a dead sender
(a worker killed, a machine gone) had taken and not sent. A sender that finds the lease held
comes back once it is over.
"""
from __future__ import annotations

import json
import logging

from flask import current_app

from budget import mail

log = logging.getLogger("budget.jobs")
EMAILS_PER_JOB = 1_000
MAX_EMAIL_ATTEMPTS = 10  # each a job run; the job itself is retried (JOB_RETRY_INTERVALS)


def keys() -> tuple[str, str, str]:
    """(waiting list, processing list, sender's lease)."""
    waiting = current_app.config["EMAIL_LIST_KEY"]
    return waiting, f"{waiting}:sending", f"{waiting}:sender"


def payload(to: str, subject: str, body: str, headers: dict | None = None,
            attempts: int = 0) -> str:
    return json.dumps({"to": to, "subject": subject, "body": body, "headers": headers or {},
                       "attempts": attempts})


def _read(raw: bytes) -> dict:
    email = json.loads(raw)
    if isinstance(email, list):  # queued by a version before headers and attempts
        to, subject, body, *rest = email
        return {"to": to, "subject": subject, "body": body, "headers": {},
                "attempts": rest[0] if rest else 0}
    return email


def send_waiting(redis) -> dict:
    """Send what waits, over one SMTP connection; {"sent": n} (and "busy" when another
    sender holds the lease, "more" when EMAILS_PER_JOB were sent and some wait still).

    An email the server refuses for good (an unknown recipient) is dropped and logged without
    its address. Any other failure puts it back at the end of the list and raises, so that
    RQ retries the job, which has no arguments: neither a retry nor a job that failed for good
    keeps an address or a body in Redis. After MAX_EMAIL_ATTEMPTS an email is dropped."""
    from redis.exceptions import LockError

    waiting, sending, lease_key = keys()
    lease = redis.lock(lease_key, timeout=current_app.config["EMAIL_LEASE_SECONDS"])
    if not lease.acquire(blocking=False):
        return {"sent": 0, "busy": True}
    sent = 0
    try:
        while redis.lmove(sending, waiting, "RIGHT", "LEFT") is not None:
            pass  # taken by a sender that died: first in line again, in their order
        with mail.batch() as via:
            for _ in range(EMAILS_PER_JOB):
                raw = redis.lmove(waiting, sending, "LEFT", "RIGHT")
                if raw is None:
                    return {"sent": sent}
                lease.reacquire()
                email = _read(raw)
                try:
                    mail.deliver(email["to"], email["subject"], email["body"],
                                 email["headers"], via=via)
                except Exception as error:
                    _failed(redis, raw, email, error)
                    continue
                redis.lrem(sending, 1, raw)
                sent += 1
        return {"sent": sent, "more": True}
    finally:
        try:
            lease.release()
        except LockError:
            log.warning("the email sender's lease ran out before it finished")


def _failed(redis, raw: bytes, email: dict, error: Exception) -> None:
    """Drop the email (refused for good, or tried too often) or put it back and raise."""
    waiting, sending, _ = keys()
    attempts = email["attempts"] + 1
    if mail.refused_for_good(error) or attempts >= MAX_EMAIL_ATTEMPTS:
        redis.lrem(sending, 1, raw)
        log.error("email to %s dropped after %d attempt(s): %s",
                  mail.recipient_hash(email["to"]), attempts, type(error).__name__)
        return
    with redis.pipeline() as pipe:  # MULTI: the email is in one list or the other, never none
        pipe.lrem(sending, 1, raw)
        pipe.rpush(waiting, payload(email["to"], email["subject"], email["body"],
                                    email["headers"], attempts))
        pipe.execute()
    raise error


def left_behind(redis) -> bool:
    """Whether emails wait, or were taken by a sender that may have died."""
    waiting, sending, _ = keys()
    return bool(redis.llen(waiting) or redis.llen(sending))
