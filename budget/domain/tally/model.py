"""The data a tally rule takes and gives back.

Money is exact: project costs are whole currency units (int), the budget is a Fraction
(Pabulib budgets may carry cents). Project ids are strings and are compared as strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence, Union

VOTE_TYPES = ("approval", "cumulative", "scoring", "ordinal")

# approval: the set of approved ids; cumulative/scoring: id -> points; ordinal: ids, best first.
Ballot = Union[frozenset, Mapping[str, Fraction], tuple]


@dataclass(frozen=True)
class Election:
    """One envelope's tally input.

    costs: project id -> cost (int >= 0). budget: exact amount available.
    ballots: (ballot, multiplicity) pairs; every ballot counts as a voter, empty ones too.
    """

    costs: Mapping[str, int]
    budget: Fraction
    ballots: Sequence[tuple[Ballot, int]]
    vote_type: str = "approval"

    @property
    def voter_count(self) -> int:
        return sum(count for _, count in self.ballots)


@dataclass(frozen=True)
class Outcome:
    """What a rule returns: the selected ids in the order they were selected, plus details
    the platform needs to explain the outcome (rule-specific, plain data)."""

    rule: str
    selected: tuple[str, ...]
    cost: Fraction
    details: Mapping = field(default_factory=dict)
