"""The named tally rules, and `tally()`, the one entry point the platform calls."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from . import completion
from . import greedy as greedy_rules
from . import mes as mes_rules
from .declared import declared_rule
from .maxwelfare import max_welfare
from .phragmen import phragmen
from .model import Election, Outcome, RuleNotApplicable
from .profile import Profile, prepare


class UnknownRule(ValueError):
    """No rule has this name; the message lists the known names."""


@dataclass(frozen=True)
class Rule:
    """run(profile, **params) -> (selected project indices in selection order, details)."""

    name: str
    summary: str
    run: Callable[..., tuple[list[int], dict]]


def _greedy(profile: Profile, threshold=None):
    return greedy_rules.greedy(profile, threshold=threshold)


def _greedy_cardinality(profile: Profile):
    return greedy_rules.greedy(profile, sat="cardinality")


def _greedy_no_skip(profile: Profile, threshold=None):
    return greedy_rules.greedy(profile, no_skip=True, threshold=threshold)


def _greedy_threshold(profile: Profile, threshold):
    return greedy_rules.greedy(profile, threshold=threshold)


RULES: dict[str, Rule] = {}


def register(name: str, summary: str, run: Callable[..., tuple[list[int], dict]]) -> None:
    RULES[name] = Rule(name, summary, run)


register("greedy", "most supporters (or points) first, skip what no longer fits", _greedy)
register("greedy-cardinality", "most supporters per unit of cost first, skip what does not fit",
         _greedy_cardinality)
register("greedy-no-skip", "most supporters first, stop at the first project that does not fit",
         _greedy_no_skip)
register("greedy-threshold", "greedy over the projects whose score reaches `threshold`",
         _greedy_threshold)


def _mes(sat: str):
    def run(profile: Profile):
        return mes_rules.run_rule(profile, sat)
    return run


def _mes_points(profile: Profile):
    if not profile.cardinal:
        raise RuleNotApplicable("mes-points needs cumulative or scoring ballots")
    return _mes("points")(profile)


register("mes", "Method of Equal Shares, utility = cost (pabutools Cost_Sat)", _mes("cost"))
register("mes-cardinality", "Method of Equal Shares, utility = 1 per project (Cardinality_Sat)",
         _mes("cardinality"))
register("mes-points", "Method of Equal Shares, utility = points (Additive_Cardinal_Sat)",
         _mes_points)

register("mes-greedy", "Method of Equal Shares (Cost_Sat), then greedy on the money left",
         completion.mes_then_greedy)
register("mes-add1", "Equal Shares with the Add1 completion (+1 per voter until exhaustive), "
         "then greedy", completion.mes_add1)
register("phragmen", "sequential Phragmén: stops at the first best project that does not fit",
         phragmen)
register("max-welfare", "the set with the highest total cost x supporters (exact knapsack)",
         max_welfare)



def _declared(profile: Profile, meta):
    name, params = declared_rule(meta)
    selected, details = RULES[name].run(profile, **params)
    return selected, dict(details, declared_as=name, params=params)


register("declared", "the rule the file declares (META rule), needs meta=the file's META",
         _declared)


def tally(rule: str, election: Election, tie_order: Sequence[str] | None = None,
          **params) -> Outcome:
    """Run the named rule on the election.

    tie_order: every project id, best first, used to break exact ties; None means pabutools'
    default, sorted(ids) as strings. params: rule parameters (e.g. threshold=...).
    Raises UnknownRule, InvalidElection, RuleNotApplicable (all ValueError).
    """
    if rule not in RULES:
        raise UnknownRule(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    profile = prepare(election, tie_order)
    selected, details = RULES[rule].run(profile, **params)
    return Outcome(rule=rule, selected=tuple(profile.ids[p] for p in selected),
                   cost=Fraction(profile.total_cost(selected)), details=details)

