"""The `vote` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.vote import eligibility, views  # noqa: F401  (routes register on import)
from budget.blueprints.vote.blueprint import bp

__all__ = ["bp"]
