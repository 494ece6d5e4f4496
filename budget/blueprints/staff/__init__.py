"""The `staff` pages: the Blueprint (blueprint.py) and the modules whose routes register on it
when imported, listed here."""
from budget.blueprints.staff import (  # noqa: F401  (routes register on import)
    adoption, confirmations, eligibility, jobs, moved, paper, paper_voters, records, setup,
    simulation, supports, themes, turnout, views)
from budget.blueprints.staff.blueprint import bp

__all__ = ["bp"]
