"""Budget-constrained tally rules, in plain Python (no Flask, no SQLAlchemy).

    from budget.domain.tally import Election, tally
    outcome = tally("greedy", Election(costs={...}, budget=Fraction(1000), ballots=[...]))
"""
from .model import Election, InvalidElection, Outcome, RuleNotApplicable, VOTE_TYPES
from .registry import RULES, BadParameters, Rule, UnknownRule, offered_rules, tally

__all__ = ["BadParameters", "Election", "InvalidElection", "Outcome", "RuleNotApplicable",
           "RULES", "Rule", "UnknownRule", "VOTE_TYPES", "offered_rules", "tally"]
