"""The named tally rules, and `tally()`, the one entry point the platform calls."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from .mes import add1_net, comparison, completion
from . import greedy as greedy_rules
from .mes import rule as mes_rules
from .declared import declared_rule
from .greedy_score import greedy_score
from .maxwelfare import max_welfare
from .phragmen import phragmen
from .model import Election, Outcome, RuleNotApplicable
from .profile import Profile, prepare


class UnknownRule(ValueError):
    """No rule has this name; the message lists the known names."""


@dataclass(frozen=True)
class Rule:
    """run(profile, **params) -> (selected project indices in selection order, details).
    tie_order(election, **params) -> the rule's own tie-break order (every id, best first),
    used when the caller gives none; None (or returning None): pabutools' default."""

    name: str
    summary: str
    run: Callable[..., tuple[list[int], dict]]
    tie_order: Callable[..., Sequence[str] | None] | None = None


def _greedy(profile: Profile, threshold=None):
    return greedy_rules.greedy(profile, threshold=threshold)


def _greedy_cardinality(profile: Profile):
    return greedy_rules.greedy(profile, sat="cardinality")


def _greedy_no_skip(profile: Profile, threshold=None):
    return greedy_rules.greedy(profile, no_skip=True, threshold=threshold)


def _greedy_threshold(profile: Profile, threshold):
    return greedy_rules.greedy(profile, threshold=threshold)


RULES: dict[str, Rule] = {}


def register(name: str, summary: str, run: Callable[..., tuple[list[int], dict]],
             tie_order: Callable[..., Sequence[str] | None] | None = None) -> None:
    RULES[name] = Rule(name, summary, run, tie_order)


register("greedy", "most supporters (or points) first, skip what no longer fits", _greedy)
register("greedy-cardinality", "most supporters per unit of cost first, skip what does not fit",
         _greedy_cardinality)
register("greedy-no-skip", "most supporters first, stop at the first project that does not fit",
         _greedy_no_skip)
register("greedy-threshold", "greedy over the projects whose score reaches `threshold`",
         _greedy_threshold)
register("greedy-score", "greedy on announced `scores` (id -> score, e.g. a file's score "
         "column), optional `threshold` and `no_skip`", greedy_score)


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
register("mes-add1-net", "Equal Shares with equalshares.net's Add1 (+1 per voter while the "
         "outcome fits), no completion", add1_net.mes_add1_net, add1_net.tie_order)
register("mes-comparison", "Equal Shares, replaced by greedy if more voters prefer greedy "
         "(equalshares.net's comparison step)", comparison.mes_comparison, add1_net.tie_order)
register("mes-add1-net-comparison", "mes-add1-net, then equalshares.net's comparison step "
         "with greedy", comparison.mes_add1_net_comparison, add1_net.tie_order)
register("phragmen", "sequential Phragmén: stops at the first best project that does not fit",
         phragmen)
register("max-welfare", "the set with the highest total cost x supporters (exact knapsack)",
         max_welfare)


def _declared(profile: Profile, meta, scores=None):
    name, params = declared_rule(meta, scores, profile.vote_type)
    selected, details = RULES[name].run(profile, **params)
    shown = {key: value for key, value in params.items() if key != "scores"}
    return selected, dict(details, declared_as=name, params=shown)


def _declared_tie_order(election: Election, meta=None, scores=None, **_params):
    if meta is None:
        return None                 # (the run then says meta= is missing)
    name, params = declared_rule(meta, scores, election.vote_type)
    own = RULES[name].tie_order
    return own(election, **params) if own else None


register("declared", "the rule the file declares (META rule), needs meta=the file's META; "
         "scores=its PROJECTS score column, if any", _declared, _declared_tie_order)


def tally(rule: str, election: Election, tie_order: Sequence[str] | None = None,
          **params) -> Outcome:
    """Run the named rule on the election.

    tie_order: every project id, best first, used to break exact ties; None means the rule's
    own order if it has one (the equalshares.net variants), else pabutools' default,
    sorted(ids) as strings. params: rule parameters (e.g. threshold=...).
    Raises UnknownRule, InvalidElection, RuleNotApplicable (all ValueError).
    """
    if rule not in RULES:
        raise UnknownRule(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    entry = RULES[rule]
    if tie_order is None and entry.tie_order is not None:
        tie_order = entry.tie_order(election, **params)
    profile = prepare(election, tie_order)
    selected, details = entry.run(profile, **params)
    return Outcome(rule=rule, selected=tuple(profile.ids[p] for p in selected),
                   cost=Fraction(profile.total_cost(selected)), details=details)

