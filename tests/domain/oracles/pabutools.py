"""pabutools 1.2.3 as the reference: each of our rule names as the pabutools call that
defines it (test and bench dependency only; pabutools needs gmpy2, our engine does not)."""
from __future__ import annotations

from pabutools.election import (Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat,
                                parse_pabulib)
from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction
from pabutools.rules import (completion_by_rule_combination, greedy_utilitarian_welfare,
                             max_additive_utilitarian_welfare, method_of_equal_shares,
                             sequential_phragmen)
from pabutools.election.profile import AbstractApprovalProfile, AbstractCardinalProfile


def _points_times_cost(instance, profile, ballot, project, precomputed_values):
    return ballot.get(project, 0) * project.cost


class Points_Cost_Sat(AdditiveSatisfaction):
    """Our `greedy` on cumulative/scoring ballots: satisfaction = points x cost, so greedy's
    density is the project's total points."""

    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_times_cost)


def _greedy_sat(profile):
    return Points_Cost_Sat if isinstance(profile, AbstractCardinalProfile) else Cost_Sat


def _mes_then_greedy(instance, profile, mes_params):
    return completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [mes_params, {"sat_class": _greedy_sat(profile)}])


REFERENCE = {
    "greedy": lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=_greedy_sat(p)),
    "greedy-cardinality": lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=Cardinality_Sat),
    "mes": lambda i, p: method_of_equal_shares(i, p, sat_class=Cost_Sat),
    "mes-cardinality": lambda i, p: method_of_equal_shares(i, p, sat_class=Cardinality_Sat),
    "mes-points": lambda i, p: method_of_equal_shares(i, p, sat_class=Additive_Cardinal_Sat),
    "mes-greedy": lambda i, p: _mes_then_greedy(i, p, {"sat_class": Cost_Sat}),
    "mes-add1": lambda i, p: _mes_then_greedy(
        i, p, {"sat_class": Cost_Sat, "voter_budget_increment": 1}),
    "phragmen": lambda i, p: sequential_phragmen(i, p),
    "max-welfare": lambda i, p: max_additive_utilitarian_welfare(i, p, sat_class=Cost_Sat),
}


def applicable(rule: str, profile) -> bool:
    if rule == "mes-points":
        return isinstance(profile, AbstractCardinalProfile)
    if rule == "phragmen":
        return isinstance(profile, AbstractApprovalProfile)
    return True


def reference_outcome(rule: str, path: str) -> list[str]:
    """The project ids pabutools selects, in its order."""
    instance, profile = parse_pabulib(str(path))
    return [project.name for project in REFERENCE[rule](instance, profile)]


def welfare(path: str, selected) -> int:
    """Cost_Sat welfare of a selection: sum over selected projects of cost x supporters."""
    instance, profile = parse_pabulib(str(path))
    chosen = set(selected)
    return sum(p.cost * profile.approval_score(p) if hasattr(profile, "approval_score")
               else p.cost * sum(1 for b in profile if p in b)
               for p in instance if p.name in chosen)
