"""Voting at a town-hall kiosk: the Blueprint (blueprint.py) and the modules whose routes
register on it when imported, listed here."""
from budget.blueprints.kiosk import desk_provider, screen, staff  # noqa: F401  (routes register on import)
from budget.blueprints.kiosk.blueprint import bp

__all__ = ["bp"]
