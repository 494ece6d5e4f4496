"""Sending email: through SMTP when MAIL_SERVER is set; without it, printed in the log in
development only (MAIL_TO_LOG), never elsewhere (production refuses to start without a mail
server unless MAIL_DISABLED=1); kept in `outbox` while testing. Services do not send from here:
they hand the message to the background jobs (budget.jobs.enqueue_email), so a slow or failing
mail server never holds up a request, and the jobs deliver it with this module."""
from __future__ import annotations

import hashlib
import hmac
import logging
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger("budget.mail")


def recipient_hash(address: str) -> str:
    """A short keyed hash of an address, for logs: the same address gives the same hash, and
    without SECRET_KEY no list of addresses can be tried against it."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()[:12]


def refused_for_good(error: Exception) -> bool:
    """Whether sending again cannot help: the server refused the recipient or the message
    with a permanent (5xx) answer. A refused sender or login is the installation's problem,
    not the message's: those are retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def outbox() -> list[EmailMessage]:
    """The messages sent while testing (empty otherwise)."""
    return current_app.extensions.setdefault("budget_outbox", [])


def compose(to: str, subject: str, body: str,
            headers: dict[str, str] | None = None) -> EmailMessage:
    """The message, with the Date and Message-ID that spam filters expect."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


class Batch:
    """Several emails over one SMTP connection, opened at the first that needs it."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = _connect()
        self.smtp.send_message(message)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


@contextmanager
def batch():
    """`with batch() as via: deliver(..., via=via)` for each email of a batch."""
    via = Batch()
    try:
        yield via
    finally:
        via.close()


def _connect() -> smtplib.SMTP:
    """A connection to MAIL_SERVER, the server's certificate checked against the system's
    authorities (or MAIL_CA_FILE) and its name: STARTTLS with MAIL_USE_TLS, TLS from the
    first byte with MAIL_USE_SSL (port 465). Logged in when MAIL_USERNAME is set."""
    config = current_app.config
    context = ssl.create_default_context(cafile=config.get("MAIL_CA_FILE") or None)
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=10, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=10)
    try:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def deliver(to: str, subject: str, body: str, headers: dict[str, str] | None = None,
            via: Batch | None = None) -> None:
    """Send now (raises on an SMTP error, so that the job is retried); `via`: the batch's
    connection, else one of its own."""
    config = current_app.config
    message = compose(to, subject, body, headers)
    if config.get("TESTING"):
        outbox().append(message)
    elif config.get("MAIL_SERVER") and not config.get("MAIL_DISABLED"):
        if via is not None:
            via.send(message)
        else:
            with batch() as own:
                own.send(message)
    elif config.get("MAIL_TO_LOG"):
        log.info("Email (not sent: no MAIL_SERVER)\nTo: %s\nSubject: %s\n\n%s\n", to, subject,
                 body)
    else:
        # No address, no subject, no body: they show receipt codes and reset links to whoever
        # reads the log. The keyed hash lets an operator who knows an address find its lines.
        log.warning("email not sent (%s), recipient %s",
                    "MAIL_DISABLED" if config.get("MAIL_DISABLED") else "no MAIL_SERVER",
                    recipient_hash(to))
