"""The data a tally rule takes and gives back.

Money is exact: project costs are whole currency units (int; a Fraction is accepted for
Pabulib files that carry cents), the budget is a Fraction. Project ids are strings and are
compared as strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterator, Mapping, Sequence, Union

VOTE_TYPES = ("approval", "cumulative", "scoring", "ordinal")
CARDINAL_VOTE_TYPES = ("cumulative", "scoring")

# approval: the set of approved ids; cumulative/scoring: id -> points; ordinal: ids, best first.
Ballot = Union[frozenset, Mapping[str, Fraction], tuple]


class InvalidElection(ValueError):
    """The election data break the contract (unknown project in a ballot, negative cost, ...)."""


class RuleNotApplicable(ValueError):
    """The rule is not defined for this vote type (e.g. Phragmén on cumulative ballots)."""


@dataclass(frozen=True)
class Election:
    """One envelope's tally input.

    costs: project id -> cost (int >= 0, or a non-negative Fraction). budget: exact amount
    available. ballots: (ballot, multiplicity) pairs; every ballot counts as a voter, empty
    ones too. vote_type: one of VOTE_TYPES (Pabulib's choose-1 is an approval election).
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


class Explanation(Mapping):
    """Details computed when first read. Finding a rule's winners can cost far less than
    explaining them (MES: what each group of voters paid, in exact fractions), and some callers
    (the command line, a researcher's re-run) never read the explanation. Read, it is a plain
    mapping; pickled, a dict."""

    def __init__(self, compute: Callable[[], dict]):
        self._compute: Callable[[], dict] | None = compute
        self._data: dict | None = None

    def _details(self) -> dict:
        if self._data is None:
            self._data = self._compute()
            self._compute = None
        return self._data

    def __getitem__(self, key):
        return self._details()[key]

    def __iter__(self) -> Iterator:
        return iter(self._details())

    def __len__(self) -> int:
        return len(self._details())

    def __repr__(self) -> str:
        return repr(self._details())

    def __reduce__(self):
        return dict, (self._details(),)
