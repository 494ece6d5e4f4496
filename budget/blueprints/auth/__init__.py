"""The `auth` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
# The routes register on import.
from budget.blueprints.auth import provider_views, second_factor, views  # noqa: F401
from budget.blueprints.auth.blueprint import bp

__all__ = ["bp"]
