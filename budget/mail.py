"""Sending email: through SMTP when MAIL_SERVER is set, otherwise written to the log (the
development default), and kept in `outbox` while testing. `send` hands the message to the
background jobs (budget.jobs.enqueue_email), so a slow or failing mail server never holds up a
request."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


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
    elif config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        current_app.logger.info("Email to %s: %s\n%s", to, subject, body)
