"""Vote formats: what makes a ballot valid. The ballot page, the server check and the tally all
read the same definition.

A ballot covers several envelopes (the voter's commune and the intercommunal one); the format's
limits apply to each envelope separately.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from budget.domain.errors import DomainError


@dataclass(frozen=True)
class BallotEnvelope:
    """One envelope as the voter sees it: amount in euros and project id -> final cost."""

    id: int
    name: str
    amount: int
    costs: Mapping[int, int]


@dataclass(frozen=True)
class Approval:
    """Choose between `min_choices` and `max_choices` projects in each envelope."""

    min_choices: int = 0
    max_choices: int | None = None
    name = "approval"

    def problems(self) -> list[DomainError]:
        found = []
        if self.min_choices < 0:
            found.append(DomainError("The minimum number of projects cannot be negative.",
                                     field="min_choices"))
        if self.max_choices is not None and self.max_choices < max(1, self.min_choices):
            found.append(DomainError("The maximum number of projects must be at least 1 and "
                                     "at least the minimum.", field="max_choices"))
        return found

    def check_envelope(self, envelope: BallotEnvelope, chosen: set[int]) -> list[DomainError]:
        count = len(chosen)
        # An envelope with fewer projects than the minimum must not stop anyone from voting.
        minimum = min(self.min_choices, len(envelope.costs))
        if count < minimum:
            return [DomainError("Choose at least %(count)d projects in “%(envelope)s”.",
                                count=minimum, envelope=envelope.name)]
        if self.max_choices is not None and count > self.max_choices:
            return [DomainError("Choose at most %(count)d projects in “%(envelope)s”.",
                                count=self.max_choices, envelope=envelope.name)]
        return []

    def as_params(self) -> dict:
        return {"min_choices": self.min_choices, "max_choices": self.max_choices}


@dataclass(frozen=True)
class Knapsack:
    """Spend at most each envelope's amount, and at least `min_share_percent` of it if set."""

    min_share_percent: int = 0
    name = "knapsack"

    def problems(self) -> list[DomainError]:
        if not 0 <= self.min_share_percent <= 100:
            return [DomainError("The minimum share must be between 0 and 100 %.",
                                field="min_share_percent")]
        return []

    def check_envelope(self, envelope: BallotEnvelope, chosen: set[int]) -> list[DomainError]:
        total = sum(envelope.costs[project] for project in chosen)
        if total > envelope.amount:
            return [DomainError("Your choices in “%(envelope)s” cost %(total)s EUR, more than "
                                "the %(amount)s EUR available.",
                                envelope=envelope.name, total=total, amount=envelope.amount)]
        minimum = -(-envelope.amount * self.min_share_percent // 100)  # ceiling division
        if total < minimum:
            return [DomainError("Your choices in “%(envelope)s” must add up to at least "
                                "%(minimum)s EUR.", envelope=envelope.name, minimum=minimum)]
        return []

    def as_params(self) -> dict:
        return {"min_share_percent": self.min_share_percent}


VOTE_FORMATS = {"approval": Approval, "knapsack": Knapsack}


def vote_format_from(name: str, params: Mapping | None):
    """Build a vote format from its registry name and stored parameters; raises DomainError."""
    try:
        vote_format = VOTE_FORMATS[name](**(params or {}))
    except KeyError:
        raise DomainError("Unknown vote format.", field="vote_format") from None
    except TypeError:
        raise DomainError("Invalid vote format parameters.", field="vote_format") from None
    problems = vote_format.problems()
    if problems:
        raise problems[0]
    return vote_format


def check_ballot(vote_format, envelopes: Sequence[BallotEnvelope],
                 selected: Collection[int]) -> list[DomainError]:
    """Every rule the ballot breaks (empty when it is valid). `selected` holds project ids."""
    chosen = set(selected)
    if not chosen:
        return [DomainError("Choose at least one project.")]
    on_ballot = set().union(*(envelope.costs for envelope in envelopes))
    if chosen - on_ballot:
        return [DomainError("A project you chose is not on your ballot.")]
    problems = []
    for envelope in envelopes:
        problems += vote_format.check_envelope(envelope, chosen & set(envelope.costs))
    return problems
