"""The `api` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.api import catalogue, views  # noqa: F401  (routes register on import)
from budget.blueprints.api.blueprint import bp

__all__ = ["bp"]
