"""Structured logs: one JSON object per line, each carrying the request id.

The request id comes from the `X-Request-ID` header that nginx sets (`$request_id`), or is
made here; it is sent back in the response, so a citizen's error report, the nginx log, the
gunicorn access log and the application log can be joined on it.
"""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Fields of gunicorn's access log, named for people (see gunicorn's access_log_format atoms).
# RQ adds a failed job's arguments to its log record; an email's body holds a reset link.
SECRET_FIELDS = ("arguments", "kwargs")
ACCESS_FIELDS = {"h": "remote", "m": "method", "U": "path", "s": "status", "B": "bytes",
                 "M": "duration_ms", "a": "user_agent"}


# Paths whose last segment is a secret (a password-reset or address-verification token, an
# unsubscribe link) and query parameters that carry one: only the route stays in a log.
TOKEN_IN_PATH = re.compile(r"(/(?:password/reset|account/verify|unsubscribe)/)[^/?#\s\"]+")
TOKEN_IN_QUERY = re.compile(r"([?&](?:token|code)=)[^&#\s\"]+")


def scrub_tokens(text: str) -> str:
    """`text` (a path, a request line, a Referer) with every token replaced by <token>."""
    return TOKEN_IN_QUERY.sub(r"\1<token>", TOKEN_IN_PATH.sub(r"\1<token>", text))


class ScrubTokens(logging.Filter):
    """On gunicorn's access logger: the request line, path, query, Referer and every other
    text field of a request lose their tokens before any handler formats them. On the app's
    logger: Flask's "Exception on <path>" line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub_tokens(record.msg)
        if isinstance(record.args, dict):
            for atom, value in list(record.args.items()):
                if isinstance(value, str):
                    record.args[atom] = scrub_tokens(value)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class BudgetJsonFormatter(JsonFormatter):
    """JSON lines; gunicorn's access records get their fields as keys, not one string."""

    def add_fields(self, log_record, record, message_dict) -> None:
        super().add_fields(log_record, record, message_dict)
        for field in SECRET_FIELDS:
            log_record.pop(field, None)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            log_record.update({name: atoms.get(atom) for atom, name in ACCESS_FIELDS.items()})
            log_record["request_id"] = atoms.get("{x-request-id}o")
            log_record["message"] = "request"


def json_handler() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(BudgetJsonFormatter(LOG_FORMAT, rename_fields={"levelname": "level",
                                                                        "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    return handler


def _log_text_lines(level: str) -> None:
    """Readable lines on stderr for the app's own loggers (budget.*), at `level`: without
    this, Python prints only warnings, and `flask run` (without --debug) hid the emails that
    development writes to the log instead of sending them. Once per process."""
    package = logging.getLogger("budget")
    package.setLevel(level)
    if not any(getattr(handler, "budget_text", False) for handler in package.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.budget_text = True
        package.addHandler(handler)
    # Flask's handler on the app's logger (budget.app) would print its lines a second time.
    logging.getLogger("budget.app").handlers.clear()


def register_request_id(app: Flask) -> None:
    """Give every request an id; with LOG_FORMAT=json, log as JSON lines on stderr."""
    if app.config.get("LOG_FORMAT") == "json":
        root = logging.getLogger()
        if not any(isinstance(h.formatter, BudgetJsonFormatter) for h in root.handlers):
            root.addHandler(json_handler())
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        app.logger.handlers.clear()  # Flask's own handler would print every line twice
    else:
        _log_text_lines(app.config.get("LOG_LEVEL", "INFO"))

    app.logger.addFilter(ScrubTokens())

    @app.before_request
    def take_request_id():
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if VALID_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

    @app.after_request
    def send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        return response
