from flask import Blueprint

bp = Blueprint("results", __name__)

from budget.blueprints.results import views  # noqa: E402,F401  (routes register on import)
from budget.blueprints.results import exports  # noqa: E402,F401  (download routes)
from budget.blueprints.results import folder  # noqa: E402,F401  (the run's .pb files as a ZIP)
