"""The `auth` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.auth import second_factor, views  # noqa: F401  (routes register on import)
from budget.blueprints.auth.blueprint import bp

__all__ = ["bp"]
