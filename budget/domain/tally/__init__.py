"""Budget-constrained tally rules, in plain Python (no Flask, no SQLAlchemy).

    from budget.domain.tally import Election, tally
    outcome = tally("greedy", Election(costs={...}, budget=Fraction(1000), ballots=[...]))
"""
from .model import Election, InvalidElection, Outcome, RuleNotApplicable, VOTE_TYPES
from .registry import RULES, Rule, UnknownRule, tally

__all__ = ["Election", "InvalidElection", "Outcome", "RuleNotApplicable", "RULES", "Rule",
           "UnknownRule", "VOTE_TYPES", "tally"]
