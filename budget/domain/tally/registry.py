"""The named tally rules, and `tally()`, the one entry point the platform calls."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from .model import Election, Outcome
from .model import CARDINAL_VOTE_TYPES, VOTE_TYPES
from .profile import Profile, prepare
from .runs import (
    add1_net_tie_order, greedy, greedy_cardinality, greedy_no_skip, greedy_score, max_welfare,
    mes, mes_add1, mes_add1_net, mes_add1_net_comparison, mes_comparison, mes_points,
    mes_then_greedy, phragmen)
from ..phases import N_


class UnknownRule(ValueError):
    """No rule has this name; the message lists the known names."""


class BadParameters(ValueError):
    """A rule was given a parameter it does not declare, or not one it needs."""


ALL_VOTE_TYPES = frozenset(VOTE_TYPES)
APPROVAL_ONLY = frozenset({"approval"})


@dataclass(frozen=True)
class Rule:
    """One named tally rule: everything the platform says or checks about it derives from here.

    run(profile, **params) -> (selected project indices in selection order, details).
    tie_order(election, **params) -> the rule's own tie-break order (every id, best first),
    used when the caller gives none; None (or returning None): pabutools' default.
    summary: for developers (the command line), in English. label and explanation: what
    residents read, English msgids marked with N_() that the web layer translates (a label
    never shows the rule's name). vote_types: the Election.vote_type values it counts.
    required / optional: the names of its parameters. offered: staff may announce it for a
    cycle (a cycle stores no parameters, so an offered rule needs none).
    """

    name: str
    summary: str
    run: Callable[..., tuple[list[int], dict]]
    label: str
    explanation: str
    vote_types: frozenset[str]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    offered: bool = False
    tie_order: Callable[..., Sequence[str] | None] | None = None

    @property
    def needs_parameters(self) -> bool:
        return bool(self.required)

    def check_parameters(self, params: Mapping) -> None:
        """Raises BadParameters for a parameter the rule does not declare or one it lacks."""
        unknown = sorted(set(params) - set(self.required) - set(self.optional))
        missing = [name for name in self.required if name not in params]
        if unknown or missing:
            raise BadParameters(
                f"{self.name} takes {', '.join(self.required + self.optional) or 'no parameter'}"
                f"{'; unknown: ' + ', '.join(unknown) if unknown else ''}"
                f"{'; missing: ' + ', '.join(missing) if missing else ''}")


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    RULES[rule.name] = rule


def offered_rules(vote_type: str) -> tuple[str, ...]:
    """The rules staff may announce for ballots of this Election.vote_type, in registry order."""
    return tuple(name for name, rule in RULES.items()
                 if rule.offered and vote_type in rule.vote_types)


def _declared(profile: Profile, meta, scores=None):
    from .declared import declared_rule
    name, params = declared_rule(meta, scores, profile.vote_type)
    selected, details = RULES[name].run(profile, **params)
    shown = {key: value for key, value in params.items() if key != "scores"}
    return selected, dict(details, declared_as=name, params=shown)


def _declared_tie_order(election: Election, meta=None, scores=None, **_params):
    if meta is None:
        return None                 # (the run then says meta= is missing)
    from .declared import declared_rule
    name, params = declared_rule(meta, scores, election.vote_type)
    own = RULES[name].tie_order
    return own(election, **params) if own else None


register(Rule(
    "greedy", "most supporters (or points) first, skip what no longer fits", greedy,
    N_("most votes first, skipping projects that no longer fit"),
    N_("Projects are ranked by their number of votes. Starting with the most voted, each "
       "project is funded if the money left in its envelope covers its cost; a project that "
       "no longer fits is passed over, and the next one is examined, until no project fits."),
    ALL_VOTE_TYPES, optional=("threshold",), offered=True))
register(Rule(
    "greedy-cardinality", "most supporters per unit of cost first, skip what does not fit",
    greedy_cardinality, N_("most votes per euro first"),
    N_("Projects are ranked by their number of votes per euro they cost. Starting at the top "
       "of that ranking, each project is funded if the money left in its envelope covers its "
       "cost; a project that no longer fits is passed over."),
    ALL_VOTE_TYPES, offered=True))
register(Rule(
    "greedy-no-skip", "most supporters first, stop at the first project that does not fit",
    greedy_no_skip,
    N_("most votes first, stopping at the first project that does not fit"),
    N_("Projects are ranked by their number of votes. Starting with the most voted, projects "
       "are funded one after the other; the count stops at the first project that the money "
       "left in the envelope does not cover."),
    ALL_VOTE_TYPES, optional=("threshold",)))
register(Rule(
    "greedy-threshold", "greedy over the projects whose score reaches `threshold`", greedy,
    N_("most votes first, among projects above a threshold"),
    N_("Only projects that reached the minimum number of votes are considered. They are "
       "ranked by their number of votes and funded in that order while the money left in the "
       "envelope covers their cost; a project that no longer fits is passed over."),
    ALL_VOTE_TYPES, required=("threshold",)))
register(Rule(
    "greedy-score", "greedy on announced `scores` (id -> score, e.g. a file's score column), "
    "optional `threshold` and `no_skip`", greedy_score,
    N_("highest score first (the score published with each project)"),
    N_("Projects are ranked by the score published with them (for ranked ballots, the points "
       "each ranking gives). Starting with the highest, each project is funded if the money "
       "left in its envelope covers its cost; a project that no longer fits is passed over."),
    ALL_VOTE_TYPES, required=("scores",), optional=("threshold", "no_skip")))
register(Rule(
    "mes", "Method of Equal Shares, utility = cost (pabutools Cost_Sat)", mes("cost"),
    N_("Method of Equal Shares"),
    N_("Method of Equal Shares: the envelope is shared equally among the voters. A project is "
       "funded when its supporters can pay for it together out of their shares; at each step, "
       "the project that costs its supporters the least is funded first. Each group of voters "
       "thus decides over a part of the money in proportion to its size."),
    ALL_VOTE_TYPES, offered=True))
register(Rule(
    "mes-cardinality", "Method of Equal Shares, utility = 1 per project (Cardinality_Sat)",
    mes("cardinality"), N_("Method of Equal Shares (one point per project)"),
    N_("Method of Equal Shares, each funded project counting the same for its supporters: the "
       "envelope is shared equally among the voters, and a project is funded when its "
       "supporters can pay for it together out of their shares."),
    ALL_VOTE_TYPES))
register(Rule(
    "mes-points", "Method of Equal Shares, utility = points (Additive_Cardinal_Sat)",
    mes_points, N_("Method of Equal Shares (by points)"),
    N_("Method of Equal Shares by points: the envelope is shared equally among the voters, and "
       "a project is funded when its supporters can pay for it out of their shares, in "
       "proportion to the points they gave it."),
    frozenset(CARDINAL_VOTE_TYPES), offered=True))
register(Rule(
    "mes-greedy", "Method of Equal Shares (Cost_Sat), then greedy on the money left",
    mes_then_greedy, N_("Method of Equal Shares, completed by votes"),
    N_("Method of Equal Shares (the envelope is shared equally among the voters; a project is "
       "funded when its supporters can pay for it together out of their shares), then the "
       "money left funds the most voted projects that still fit."),
    ALL_VOTE_TYPES, offered=True))
register(Rule(
    "mes-add1", "Equal Shares with the Add1 completion (+1 per voter until exhaustive), then "
    "greedy", mes_add1,
    N_("Method of Equal Shares, with shares raised until the envelope is spent, then most "
       "votes first"),
    N_("Method of Equal Shares: the envelope is shared equally among the voters, and a project "
       "is funded when its supporters can pay for it together out of their shares. While "
       "money is left, each voter's share is raised by one euro and the count is redone; the "
       "money still left then funds the most voted projects that fit."),
    ALL_VOTE_TYPES, optional=("increment",), offered=True))
register(Rule(
    "mes-add1-net", "Equal Shares with equalshares.net's Add1 (+1 per voter while the outcome "
    "fits), no completion", mes_add1_net,
    N_("Method of Equal Shares with shares raised euro by euro, as on equalshares.net"),
    N_("Method of Equal Shares: the envelope is shared equally among the voters, and a project "
       "is funded when its supporters can pay for it together out of their shares. Each "
       "voter's share is then raised one euro at a time, the count redone each time, and the "
       "last result that fits in the envelope is kept (as equalshares.net computes it)."),
    APPROVAL_ONLY, tie_order=add1_net_tie_order))
register(Rule(
    "mes-comparison", "Equal Shares, replaced by greedy if more voters prefer greedy "
    "(equalshares.net's comparison step)", mes_comparison,
    N_("Method of Equal Shares, or most votes first if more voters prefer it"),
    N_("Two results are computed: the Method of Equal Shares (each group of voters decides "
       "over a part of the money in proportion to its size) and most votes first. Each voter "
       "prefers the result that funds more of the projects they chose; most votes first is "
       "kept only if strictly more voters prefer it."),
    APPROVAL_ONLY, tie_order=add1_net_tie_order))
register(Rule(
    "mes-add1-net-comparison", "mes-add1-net, then equalshares.net's comparison step with "
    "greedy", mes_add1_net_comparison,
    N_("Method of Equal Shares with shares raised euro by euro, or most votes first if more "
       "voters prefer it"),
    N_("Two results are computed: the Method of Equal Shares with shares raised one euro at a "
       "time (as equalshares.net computes it) and most votes first. Each voter prefers the "
       "result that funds more of the projects they chose; most votes first is kept only if "
       "strictly more voters prefer it."),
    APPROVAL_ONLY, tie_order=add1_net_tie_order))
register(Rule(
    "phragmen", "sequential Phragmén: stops at the first best project that does not fit",
    phragmen, N_("Phragmén's sequential method"),
    N_("Phragmén's sequential method: voters earn money at the same pace, and a project is "
       "funded as soon as its supporters together have earned its cost; the count stops at "
       "the first such project that the money left in the envelope does not cover."),
    APPROVAL_ONLY, offered=True))
register(Rule(
    "max-welfare", "the set with the highest total cost x supporters (exact knapsack)",
    max_welfare, N_("greatest total satisfaction"),
    N_("The set of projects that fits in the envelope and gives the greatest total "
       "satisfaction (each project counting its cost times its number of votes) is funded."),
    ALL_VOTE_TYPES, offered=True))
register(Rule(
    "declared", "the rule the file declares (META rule), needs meta=the file's META; "
    "scores=its PROJECTS score column, if any", _declared,
    N_("the rule the published file declares"),
    N_("The count uses the rule named in the published file of the vote, with its "
       "parameters."),
    ALL_VOTE_TYPES, required=("meta",), optional=("scores",), tie_order=_declared_tie_order))


def tally(rule: str, election: Election, tie_order: Sequence[str] | None = None,
          **params) -> Outcome:
    """Run the named rule on the election.

    tie_order: every project id, best first, used to break exact ties; None means the rule's
    own order if it has one (the equalshares.net variants), else pabutools' default,
    sorted(ids) as strings. params: rule parameters (e.g. threshold=...).
    Raises UnknownRule, BadParameters, InvalidElection, RuleNotApplicable (all
    ValueError).
    """
    if rule not in RULES:
        raise UnknownRule(f"unknown tally rule {rule!r}; known rules: {', '.join(RULES)}")
    entry = RULES[rule]
    entry.check_parameters(params)
    if tie_order is None and entry.tie_order is not None:
        tie_order = entry.tie_order(election, **params)
    profile = prepare(election, tie_order)
    selected, details = entry.run(profile, **params)
    return Outcome(rule=rule, selected=tuple(profile.ids[p] for p in selected),
                   cost=Fraction(profile.total_cost(selected)), details=details)

