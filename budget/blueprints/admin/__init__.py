"""The `admin` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.admin import catalogue, people, views  # noqa: F401  (routes register on import)
from budget.blueprints.admin.blueprint import bp

__all__ = ["bp"]
