"""The worked example of the "How it works" page: a small envelope counted by the cycle's own
rule (the registry's code, not numbers written by hand), and by "most votes first" to compare.

Three projects of 40 000 € each, an envelope of 100 000 €, five voters: three choose the
playground and the bike path, two choose the shared garden (on a cumulative cycle, the three
give 5 points to each of their two projects and the two give 10 points to the garden).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import lazy_gettext

from budget.domain.ballot_rules import VOTE_FORMATS
from budget.domain.tally import RULES, Election, tally

AMOUNT = 100_000
PROJECTS = (("playground", lazy_gettext("Playground"), 40_000),
            ("bike-path", lazy_gettext("Bike path"), 40_000),
            ("garden", lazy_gettext("Shared garden"), 40_000))
# (how many voters, the projects they choose) -- order: every group's first voter is drawn first.
GROUPS = ((3, ("playground", "bike-path")), (2, ("garden",)))
POINTS = 10  # a cumulative voter's points, shared equally among their choices
COMPARED = "greedy"


@dataclass(frozen=True)
class ExampleProject:
    key: str
    name: str
    cost: int
    votes: int
    funded: bool


@dataclass
class ExampleVoter:
    number: int
    choices: tuple[str, ...]
    paid: dict[str, Fraction] = field(default_factory=dict)  # Equal Shares: project -> euros

    def satisfied(self, funded: set[str]) -> bool:
        return not funded.isdisjoint(self.choices)


@dataclass(frozen=True)
class WorkedExample:
    """`share`: each voter's equal share when the rule is an Equal Shares one, else None."""

    amount: int
    projects: list[ExampleProject]
    voters: list[ExampleVoter]
    order: list[str]  # the funded projects, in the order the rule funded them
    share: Fraction | None
    compared: list[str]  # what most votes first funds on the same ballots

    @property
    def spent(self) -> int:
        return sum(p.cost for p in self.projects if p.funded)

    @property
    def funded(self) -> set[str]:
        return set(self.order)

    def satisfied(self, funded=None) -> int:
        """How many voters have at least one funded project (by this rule, or in `funded`)."""
        chosen = self.funded if funded is None else set(funded)
        return sum(voter.satisfied(chosen) for voter in self.voters)

    def project(self, key: str) -> ExampleProject:
        return next(p for p in self.projects if p.key == key)


def _election(vote_type: str) -> Election:
    ballots = []
    for count, choices in GROUPS:
        if vote_type == "cumulative":
            ballot = {key: Fraction(POINTS, len(choices)) for key in choices}
        else:
            ballot = frozenset(choices)
        ballots.append((ballot, count))
    return Election(costs={key: cost for key, _, cost in PROJECTS}, budget=Fraction(AMOUNT),
                    ballots=ballots, vote_type=vote_type)


def _mes_details(details) -> dict | None:
    """The Equal Shares part of a rule's details (alone, or before a completion), or None."""
    if "mes" in details:
        return details["mes"] or None
    return details if "voter_budget" in details and "rounds" in details else None


def _pay(voters: list[ExampleVoter], mes: dict) -> None:
    """Who paid what, from the rounds the rule recorded: in each round, the supporters whose
    remaining share equals a group's `budget_before` paid that group's `paid`."""
    left = {voter.number: Fraction(mes["voter_budget"]) for voter in voters}
    for step in mes.get("rounds", ()):
        project = step["project"]
        for group in step["payers"]:
            for voter in voters:
                if project in voter.choices and left[voter.number] == group["budget_before"]:
                    voter.paid[project] = Fraction(group["paid"])
        for voter in voters:
            left[voter.number] -= voter.paid.get(project, 0)


def worked_example(rule: str, vote_format: str) -> WorkedExample:
    """The example counted by `rule` on ballots of the cycle's vote format."""
    vote_type = VOTE_FORMATS[vote_format].vote_type if vote_format in VOTE_FORMATS \
        else "approval"
    election = _election(vote_type)
    tie_order = [key for key, _, _ in PROJECTS]  # the older proposal first, as ties are broken
    outcome = tally(rule, election, tie_order) if rule in RULES else None
    order = list(outcome.selected) if outcome else []
    voters = [ExampleVoter(number, choices)
              for number, choices in enumerate(
                  (choices for count, choices in GROUPS for _ in range(count)), start=1)]
    mes = _mes_details(outcome.details) if outcome else None
    if mes:
        _pay(voters, mes)
    votes = {key: sum(count for count, choices in GROUPS if key in choices)
             for key, _, _ in PROJECTS}
    projects = [ExampleProject(key, str(name), cost, votes[key], key in order)
                for key, name, cost in PROJECTS]
    compared = list(tally(COMPARED, election, tie_order).selected)
    return WorkedExample(AMOUNT, projects, voters, order,
                         Fraction(mes["voter_budget"]) if mes else None, compared)
