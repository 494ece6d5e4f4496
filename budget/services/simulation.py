"""Comparing rules on the same closed ballot box, before anything is published.

A simulation is never stored and never published: the official tally always uses the rule
the cycle announced before the vote (changing the rule after seeing the counts would let
anyone suspect the choice was made to favour a project).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from budget.models import BudgetCycle
from budget.services import policy
from budget.services.cycle_setup import rules_for
from budget.services.policy import Action
from budget.services.tally_result import compute

LARGER = Fraction(11, 10)


@dataclass(frozen=True)
class Variant:
    rule: str
    budget_factor: Fraction
    result: dict

    @property
    def key(self) -> str:
        return f"{self.rule}@{self.budget_factor}"


@dataclass(frozen=True)
class Change:
    """A project funded in one variant and not in the reference, or the reverse."""

    envelope: dict
    project: dict  # the project's row in the variant, with its explanation
    reference: dict  # the same project's row in the reference
    variant: Variant
    funded: bool  # True: funded in the variant only


def comparable_rules(cycle: BudgetCycle) -> tuple[str, ...]:
    """The rules staff may compare on this cycle's ballots: those it could have announced."""
    return rules_for(cycle.vote_format)


def simulate(user, cycle: BudgetCycle, rules: list[str], larger: bool) -> tuple[Variant,
                                                                                  list[Variant],
                                                                                  list[Change]]:
    """The reference (the cycle's rule), the variants asked for, and every difference."""
    policy.check(user, Action.SIMULATE, cycle)
    reference = Variant(cycle.tally_rule, Fraction(1), compute(cycle, cycle.tally_rule)[1])
    asked = [(rule, Fraction(1)) for rule in rules if rule != cycle.tally_rule]
    if larger:
        asked += [(rule, LARGER) for rule in [cycle.tally_rule, *rules]]
    variants = [Variant(rule, factor, compute(cycle, rule, factor)[1])
                for rule, factor in dict.fromkeys(asked)]
    return reference, variants, [change for variant in variants
                                 for change in _changes(reference, variant)]


def _changes(reference: Variant, variant: Variant) -> list[Change]:
    changes = []
    for before, after in zip(reference.result["envelopes"], variant.result["envelopes"]):
        rows = {p["id"]: p for p in before["projects"]}
        for project in after["projects"]:
            if project["selected"] != rows[project["id"]]["selected"]:
                changes.append(Change(after, project, rows[project["id"]], variant,
                                      funded=project["selected"]))
    return changes
