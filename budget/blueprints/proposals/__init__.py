from flask import Blueprint

bp = Blueprint("proposals", __name__)

from budget.blueprints.proposals import images, views  # noqa: E402,F401  (routes register on import)
