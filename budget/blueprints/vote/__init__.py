from flask import Blueprint

bp = Blueprint("vote", __name__)

from budget.blueprints.vote import (  # noqa: E402,F401  (routes register on import)
    eligibility, views)
