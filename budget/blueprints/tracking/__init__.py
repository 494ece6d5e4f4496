"""The `tracking` pages (what became of the winning projects): the Blueprint (blueprint.py)
and the modules whose routes register on it when imported, listed here."""
from budget.blueprints.tracking import public, staff  # noqa: F401  (routes register on import)
from budget.blueprints.tracking.blueprint import bp

__all__ = ["bp"]
