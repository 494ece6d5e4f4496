"""Comparing rules on the same closed ballot box, before anything is published.

A simulation is never stored and never published: the official tally always uses the rule
the cycle announced before the vote (changing the rule after seeing the counts would let
anyone suspect the choice was made to favour a project).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from budget.models import BudgetCycle
from budget.services import policy
from budget.services.cycle_setup import rules_for
from budget.services.policy import Action
from budget.services import stored_result
from budget.services.stored_result import EnvelopeResult, ProjectLine, TallyResult
from budget.services.tally_result import compute

LARGER = Fraction(11, 10)


@dataclass(frozen=True)
class Variant:
    rule: str
    budget_factor: Fraction
    result: TallyResult

    @property
    def key(self) -> str:
        return f"{self.rule}@{self.budget_factor}"


@dataclass(frozen=True)
class Change:
    """A project funded in one variant and not in the reference, or the reverse."""

    envelope: EnvelopeResult
    project: ProjectLine  # the project in the variant, with its explanation
    reference: ProjectLine  # the same project in the reference
    variant: Variant
    funded: bool  # True: funded in the variant only


def comparable_rules(cycle: BudgetCycle) -> tuple[str, ...]:
    """The rules staff may compare on this cycle's ballots: those it could have announced."""
    return rules_for(cycle.vote_format)


@dataclass(frozen=True)
class SideBySideRow:
    """A project and whether each variant funds it (in the order of the variants)."""

    project: ProjectLine  # as the reference decided it
    funded: list[bool]


@dataclass(frozen=True)
class SideBySide:
    """One envelope's projects under the reference and every variant."""

    envelope: EnvelopeResult
    rows: list[SideBySideRow]


class Simulation(NamedTuple):
    """What simulate found: the reference, the variants, and every difference."""

    reference: Variant
    variants: list[Variant]
    changes: list[Change]

    def changes_of(self, variant: Variant) -> list[Change]:
        return [change for change in self.changes if change.variant is variant]

    @property
    def side_by_side(self) -> list[SideBySide]:
        tables = []
        for index, envelope in enumerate(self.reference.result.envelopes):
            others = [variant.result.envelopes[index] for variant in self.variants]
            tables.append(SideBySide(envelope, [
                SideBySideRow(project, [other.project(project.id).selected for other in others])
                for project in envelope.projects]))
        return tables


def _variant(cycle: BudgetCycle, rule: str, budget_factor: Fraction) -> Variant:
    return Variant(rule, budget_factor,
                   stored_result.read(compute(cycle, rule, budget_factor)[1]))


def simulate(user, cycle: BudgetCycle, rules: list[str], larger: bool) -> Simulation:
    """The reference (the cycle's rule), the variants asked for, and every difference."""
    policy.check(user, Action.SIMULATE, cycle)
    reference = _variant(cycle, cycle.tally_rule, Fraction(1))
    asked = [(rule, Fraction(1)) for rule in rules if rule != cycle.tally_rule]
    if larger:
        asked += [(rule, LARGER) for rule in [cycle.tally_rule, *rules]]
    variants = [_variant(cycle, rule, factor) for rule, factor in dict.fromkeys(asked)]
    return Simulation(reference, variants, [change for variant in variants
                                            for change in _changes(reference, variant)])


def _changes(reference: Variant, variant: Variant) -> list[Change]:
    changes = []
    for before, after in zip(reference.result.envelopes, variant.result.envelopes):
        for project in after.projects:
            official = before.project(project.id)
            if project.selected != official.selected:
                changes.append(Change(after, project, official, variant,
                                      funded=project.selected))
    return changes
