"""The pages shown when a request fails: one template, a title and a sentence per case, never
a stack trace."""
from __future__ import annotations

from flask import Flask, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from budget.blueprints.api.errors import api_error, is_api_request
from budget.extensions import db

PAGES = {
    400: (400, _l("Invalid request"),
          _l("What was sent cannot be read. Go back, check what you typed and try again.")),
    "csrf": (400, _l("Your session has expired"),
             _l("For your security, the form expired. Go back, reload the page and send it "
                "again.")),
    403: (403, _l("Access denied"),
          _l("You are not allowed to see this page. If you think this is a mistake, sign in "
             "with the right account.")),
    404: (404, _l("Page not found"), _l("This page does not exist, or no longer exists.")),
    405: (405, _l("Page not found"), _l("This page does not exist, or no longer exists.")),
    413: (413, _l("File too large"), _l("What you sent is too large.")),
    429: (429, _l("Too many attempts"),
          _l("For everyone's safety, this action is limited. Please wait a minute before "
             "trying again. Nothing you entered was lost.")),
    "busy": (503, _l("The service is very busy"),
             _l("Many people are using the service right now. Nothing you sent was saved: "
                "please send it again in a few seconds.")),
    500: (500, _l("Something went wrong"),
          _l("An error occurred on our side. Nothing you entered has been half-saved; please "
             "try again in a moment.")),
}


def refuse_nul_characters() -> None:
    """A NUL character is never typed by a person, and PostgreSQL refuses it in any text, even
    in a query: a request carrying one is refused before anything reads it."""
    if any("\x00" in key or "\x00" in value
           for key, value in request.values.items(multi=True)):
        abort(400)


def error_page(key):
    status, title, text = PAGES[key]
    if is_api_request():
        return api_error(status)
    if not _request_has_urls():
        # A Host outside TRUSTED_HOSTS: no page of ours names its links from it.
        return Response(str(title), mimetype="text/plain"), status
    template = "kiosk/error.html" if _on_a_kiosk_screen() else "error.html"
    return render_template(template, title=title, text=text), status


def _on_a_kiosk_screen() -> bool:
    """The kiosk's screens (/kiosk...) show nothing of the platform, their errors included."""
    return request.path == "/kiosk" or request.path.startswith("/kiosk/")


def _request_has_urls() -> bool:
    from flask.globals import request_ctx

    return not request_ctx or request_ctx.url_adapter is not None


def register_error_pages(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    for key in PAGES:
        if key not in ("busy", 429):
            app.register_error_handler(CSRFError if key == "csrf" else key,
                                       lambda error, key=key: error_page(key))

    @app.errorhandler(429)
    def too_many_attempts(error):
        """Retry-After: the whole window of the limit that was hit (its upper bound: the exact
        reset time would cost a round trip to the limiter's storage)."""
        body, status = error_page(429)
        limit = getattr(error, "limit", None)
        seconds = limit.limit.get_expiry() if limit is not None else 60
        return body, status, {"Retry-After": str(seconds)}

    @app.errorhandler(OperationalError)
    def database_busy(error):
        """SQLite lets one writer at a time: one who waited longer than its busy timeout (20 s)
        gets "database is locked". Nothing was written (the transaction is rolled back); they
        are asked to send again, with a 503 and Retry-After, not an error of ours."""
        db.session.rollback()
        if "database is locked" not in str(error.orig):
            raise error
        body, status = error_page("busy")
        return body, status, {"Retry-After": "5"}
