"""Each registered rule's run (registry.py), importing the rule's module when it first runs: a
command-line tally of one rule loads that rule's code only, not the whole engine's.

run(profile, **params) -> (selected project indices in selection order, details), as
registry.Rule describes it; each takes the parameters its rule declares, by name (the registry's
tests read the signatures).
"""
from __future__ import annotations

from .model import Election, RuleNotApplicable
from .profile import Profile


def greedy(profile: Profile, threshold=None):
    from .greedy import greedy
    return greedy(profile, threshold=threshold)


def greedy_cardinality(profile: Profile):
    from .greedy import greedy
    return greedy(profile, sat="cardinality")


def greedy_no_skip(profile: Profile, threshold=None):
    from .greedy import greedy
    return greedy(profile, no_skip=True, threshold=threshold)


def greedy_score(profile: Profile, scores, threshold=None, no_skip=False):
    from .greedy_score import greedy_score
    return greedy_score(profile, scores, threshold=threshold, no_skip=no_skip)


def mes(sat: str):
    def run(profile: Profile):
        from .mes.rule import run_rule
        return run_rule(profile, sat)
    return run


def mes_points(profile: Profile):
    if not profile.cardinal:
        raise RuleNotApplicable("mes-points needs cumulative or scoring ballots")
    return mes("points")(profile)


def mes_then_greedy(profile: Profile):
    from .mes.completion import mes_then_greedy
    return mes_then_greedy(profile)


def mes_add1(profile: Profile, increment=1):
    from .mes.completion import mes_add1
    return mes_add1(profile, increment=increment)


def mes_add1_net(profile: Profile):
    from .mes.add1_net import mes_add1_net
    return mes_add1_net(profile)


def add1_net_tie_order(election: Election, **params):
    from .mes.add1_net import tie_order
    return tie_order(election, **params)


def mes_comparison(profile: Profile):
    from .mes.comparison import mes_comparison
    return mes_comparison(profile)


def mes_add1_net_comparison(profile: Profile):
    from .mes.comparison import mes_add1_net_comparison
    return mes_add1_net_comparison(profile)


def phragmen(profile: Profile):
    from .phragmen import phragmen
    return phragmen(profile)


def max_welfare(profile: Profile):
    from .maxwelfare import max_welfare
    return max_welfare(profile)
