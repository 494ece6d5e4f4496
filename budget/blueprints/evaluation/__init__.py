"""The `evaluation` pages (what residents and staff say of a delivered project): the
Blueprint (blueprint.py) and the modules whose routes register on it when imported."""
from budget.blueprints.evaluation import panel, resident, staff  # noqa: F401  (they register)
from budget.blueprints.evaluation.blueprint import bp

__all__ = ["bp"]
