"""Vote formats: what makes a ballot valid. The ballot page, the server check and the tally all
read the same definition.

A ballot covers several envelopes (the voter's commune and the intercommunal one); the format's
limits apply to each envelope separately.

What a voter selects has one of two shapes: a collection of project ids for the formats whose
`takes_points` is False (approval, knapsack), a mapping project id -> points for those whose
`takes_points` is True (cumulative). `read_points` turns what a form sent into that mapping.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Mapping, Sequence

from budget.domain.errors import DomainError
from budget.domain.numbers import whole_number


@dataclass(frozen=True)
class BallotEnvelope:
    """One envelope as the voter sees it: amount in euros and project id -> final cost.
    `vote_format`: the envelope's own limits when its commune set some (the same format as
    the ballot's, other parameters); None: the ballot's."""

    id: int
    name: str
    amount: int
    costs: Mapping[int, int]
    vote_format: object | None = None


@dataclass(frozen=True)
class Approval:
    """Choose between `min_choices` and `max_choices` projects in each envelope."""

    min_choices: int = 0
    max_choices: int | None = None
    name = "approval"
    takes_points = False
    vote_type = "approval"  # what the tally counts (Election.vote_type)

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
    """Spend at most each envelope's amount, and at least `min_share_percent` of it if set.
    Choosing nothing in an envelope is abstaining there, as the tally counts it (a ballot that
    supports nothing in an envelope is not counted in it): the minimum does not apply."""

    min_share_percent: int = 0
    name = "knapsack"
    takes_points = False
    vote_type = "approval"

    def problems(self) -> list[DomainError]:
        if not 0 <= self.min_share_percent <= 100:
            return [DomainError("The minimum share must be between 0 and 100 %.",
                                field="min_share_percent")]
        return []

    def check_envelope(self, envelope: BallotEnvelope, chosen: set[int]) -> list[DomainError]:
        total = sum(envelope.costs[project] for project in chosen)
        if total > envelope.amount:
            return [DomainError("Your choices in “%(envelope)s” cost %(total)s, more than "
                                "the %(amount)s available.",
                                envelope=envelope.name, total=total, amount=envelope.amount)]
        minimum = -(-envelope.amount * self.min_share_percent // 100)  # ceiling division
        if chosen and total < minimum:
            return [DomainError("Your choices in “%(envelope)s” must add up to at least "
                                "%(minimum)s, or choose nothing there to abstain.",
                                envelope=envelope.name, minimum=minimum)]
        return []

    def as_params(self) -> dict:
        return {"min_share_percent": self.min_share_percent}


@dataclass(frozen=True)
class Cumulative:
    """Share out `total_points` points in each envelope, at most `max_per_project` (if set) on
    one project. A project's points are whole numbers, 0 or more; 0 means not chosen."""

    total_points: int = 10
    max_per_project: int | None = None
    name = "cumulative"
    takes_points = True
    vote_type = "cumulative"

    def problems(self) -> list[DomainError]:
        found = []
        if not _whole(self.total_points) or self.total_points < 1:
            found.append(DomainError("Each voter must have at least 1 point to give.",
                                     field="total_points"))
        elif self.max_per_project is not None and not (
                _whole(self.max_per_project) and 1 <= self.max_per_project <= self.total_points):
            found.append(DomainError("The maximum per project must be between 1 and the "
                                     "points each voter has.", field="max_per_project"))
        return found

    def check_envelope(self, envelope: BallotEnvelope,
                       chosen: Mapping[int, int]) -> list[DomainError]:
        """`chosen`: this envelope's projects -> points (whole numbers >= 0, see read_points)."""
        given = sum(chosen.values())
        if given > self.total_points:
            return [DomainError("You gave %(given)d points in “%(envelope)s”, you have "
                                "%(available)d.", given=given, envelope=envelope.name,
                                available=self.total_points)]
        if self.max_per_project is not None and any(
                points > self.max_per_project for points in chosen.values()):
            return [DomainError("At most %(count)d points per project.",
                                count=self.max_per_project)]
        return []

    def as_params(self) -> dict:
        return {"total_points": self.total_points, "max_per_project": self.max_per_project}


VOTE_FORMATS = {"approval": Approval, "knapsack": Knapsack, "cumulative": Cumulative}
# project id -> points (ints, or the text a form sent), or (id, points) pairs
PointsSent = Mapping | Iterable[tuple]


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_points(sent: PointsSent) -> dict[int, int]:
    """Project id -> points from what a ballot sent: ints, or text from a form (blank is 0).
    Ids may be ints or their text. Raises DomainError for a value that is not a whole number
    from 0 to numbers.MAX_INT, an id that is not such a number (no such project), or an id given
    twice."""
    pairs = sent.items() if isinstance(sent, Mapping) else sent
    points: dict[int, int] = {}
    for key, value in pairs:
        project = whole_number(key)  # None for anything but an id an INTEGER column holds
        if project is None:
            raise DomainError("A project you chose is not on your ballot.")
        if project in points:
            raise DomainError("A project was chosen twice.")
        if isinstance(value, str):
            text = value.strip()
            value = 0 if not text else whole_number(text)
        if not _whole(value) or value < 0:
            raise DomainError("Points must be whole numbers, 0 or more.", field="points")
        points[project] = value
    return points


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
                 selected: Collection[int] | PointsSent) -> list[DomainError]:
    """Every rule the ballot breaks (empty when it is valid). `selected` holds project ids, or,
    when `vote_format.takes_points`, project id -> points as read_points accepts them (a 0 on
    a project not on the ballot is refused too: the page never offers one)."""
    if vote_format.takes_points:
        try:
            points = read_points(selected)
        except DomainError as error:
            return [error]
        named, chosen = set(points), {pid for pid, given in points.items() if given > 0}
    else:
        named = chosen = set(selected)
    if not chosen:
        return [DomainError("Choose at least one project.")]
    on_ballot = set().union(*(envelope.costs for envelope in envelopes))
    if named - on_ballot:
        return [DomainError("A project you chose is not on your ballot.")]
    problems = []
    for envelope in envelopes:
        if vote_format.takes_points:
            mine = {pid: points[pid] for pid in envelope.costs if pid in points}
        else:
            mine = chosen & set(envelope.costs)
        problems += (envelope.vote_format or vote_format).check_envelope(envelope, mine)
    return problems
