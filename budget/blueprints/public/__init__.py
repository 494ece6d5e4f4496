"""The `public` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.public import editions, posters, views  # noqa: F401  (routes register on import)
from budget.blueprints.public.blueprint import bp

__all__ = ["bp"]
