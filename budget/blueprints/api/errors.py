"""The API's errors: JSON, never the HTML error page, with a stable code for programs and a
sentence for people, in French unless the request asks for English (Accept-Language)."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from budget.blueprints.api.blueprint import bp

# status -> (code, message). The codes are part of the API: never translated, never changed.
API_ERRORS = {
    400: ("bad request", _l("The request cannot be read.")),
    403: ("forbidden", _l("This resource is not public.")),
    404: ("not found", _l("Nothing here: no such cycle, or its results are not published "
                          "yet. The documented addresses are in /api/v1/openapi.json.")),
    405: ("method not allowed", _l("This API is read-only: only GET is accepted.")),
    413: ("payload too large", _l("The request is too large.")),
    429: ("too many requests", _l("Too many requests: wait a minute before trying again.")),
    500: ("internal error", _l("An error occurred on our side. Please try again in a "
                               "moment.")),
    503: ("busy", _l("The service is very busy. Please try again in a few seconds.")),
}


def is_api_request() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


def api_error(status: int):
    """The JSON answer for an error `status` (an unknown status answers as a 500)."""
    code, message = API_ERRORS.get(status, API_ERRORS[500])
    return jsonify({"error": code, "message": gettext(message)}), status
