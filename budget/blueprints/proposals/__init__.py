"""The `proposals` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.proposals import (  # noqa: F401  (routes register on import)
    images, supports, views)
from budget.blueprints.proposals.blueprint import bp

__all__ = ["bp"]
