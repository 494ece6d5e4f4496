"""The `results` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.results import council, exports, folder, views  # noqa: F401  (routes register on import)
from budget.blueprints.results.blueprint import bp

__all__ = ["bp"]
