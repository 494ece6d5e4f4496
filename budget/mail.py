"""Sending email: through SMTP when MAIL_SERVER is set; without it, printed in the log in
development only (MAIL_TO_LOG), never elsewhere (production refuses to start without a mail
server unless MAIL_DISABLED=1); kept in `outbox` while testing. `send` hands the message to the
background jobs (budget.jobs.enqueue_email), so a slow or failing mail server never holds up a
request."""
from __future__ import annotations

import hashlib
import hmac
import logging
import smtplib
from email.message import EmailMessage

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


def send(to: str, subject: str, body: str) -> None:
    from budget import jobs

    jobs.enqueue_email(to, subject, body)


def deliver(to: str, subject: str, body: str) -> None:
    """Send now (raises on an SMTP error, so that the job is retried)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config.get("TESTING"):
        outbox().append(message)
    elif config.get("MAIL_SERVER") and not config.get("MAIL_DISABLED"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif config.get("MAIL_TO_LOG"):
        log.info("Email (not sent: no MAIL_SERVER)\nTo: %s\nSubject: %s\n\n%s\n", to, subject,
                 body)
    else:
        # No address, no subject, no body: they show receipt codes and reset links to whoever
        # reads the log. The keyed hash lets an operator who knows an address find its lines.
        log.warning("email not sent (%s), recipient %s",
                    "MAIL_DISABLED" if config.get("MAIL_DISABLED") else "no MAIL_SERVER",
                    recipient_hash(to))
