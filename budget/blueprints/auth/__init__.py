from flask import Blueprint

bp = Blueprint("auth", __name__)

# Routes register on import.
from budget.blueprints.auth import second_factor, views  # noqa: E402,F401
