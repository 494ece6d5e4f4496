"""`mes-comparison` and `mes-add1-net-comparison`: Equal Shares, then equalshares.net's
comparison step.

The reference is the comparison step of the Python code equalshares.net's compute tool
generates for approval ballots (comparison "satisfaction"), which Pabulib's checker
(`pabulib-checker` 1.0.8, `Checker._apply_equalshares_comparison_step`) applies to the files
labelled `equalshares-comparison` and `equalshares/add1-comparison` (Wieliczka 2023):

* the greedy outcome: projects by decreasing number of supporters, each funded if it still
  fits (our `greedy`, zero-vote projects last);
* each voter prefers the outcome in which more of the projects they approve are funded;
* the greedy outcome replaces the Equal Shares one only if strictly more voters prefer it.

pabutools' documentation writes Wieliczka's rule as `popularity_comparison` of its MES + Add1
+ greedy with greedy on Cardinality_Sat (supporters per unit of cost); on Wieliczka's file
that does not give the announced winners, the step above does (bench/README.md).
Equal numbers of supporters in the greedy step go to the first project in tie order (the
Equal Shares variants here default to equalshares.net's: cheaper first, then more votes),
where equalshares.net keeps the order of the file. Approval ballots only.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from .. import greedy as greedy_rules
from . import rule as mes_rules
from .add1_net import mes_add1_net
from ..model import RuleNotApplicable
from ..profile import Profile


def compare_with_greedy(profile: Profile, selected: Sequence[int], mes_details: Mapping
                        ) -> tuple[list[int], dict]:
    """The comparison step: (the outcome kept, details: the Equal Shares details under "mes",
    and under "comparison" the greedy outcome's ids, how many voters prefer each, which was
    kept)."""
    greedy_selected, _ = greedy_rules.greedy(profile)
    ours, theirs = set(selected), set(greedy_selected)
    prefer_mes = prefer_greedy = 0
    for group in profile.groups:
        mes_count = sum(p in ours for p in group.members)
        greedy_count = sum(p in theirs for p in group.members)
        if mes_count > greedy_count:
            prefer_mes += group.count
        elif greedy_count > mes_count:
            prefer_greedy += group.count
    keep_greedy = prefer_greedy > prefer_mes
    comparison = {"greedy": [profile.ids[p] for p in greedy_selected],
                  "prefer_mes": prefer_mes, "prefer_greedy": prefer_greedy,
                  "kept": "greedy" if keep_greedy else "mes"}
    kept = list(greedy_selected) if keep_greedy else list(selected)
    return kept, {"mes": mes_details, "comparison": comparison}


def _approval_only(profile: Profile, rule: str) -> None:
    if profile.vote_type != "approval":
        raise RuleNotApplicable(f"{rule} is defined for approval ballots only")


def mes_comparison(profile: Profile) -> tuple[list[int], dict]:
    """`equalshares-comparison`: MES (Cost_Sat), then the comparison step."""
    _approval_only(profile, "mes-comparison")
    return compare_with_greedy(profile, *mes_rules.run_rule(profile, "cost"))


def mes_add1_net_comparison(profile: Profile) -> tuple[list[int], dict]:
    """`equalshares/add1-comparison`: `mes-add1-net`, then the comparison step."""
    _approval_only(profile, "mes-add1-net-comparison")
    return compare_with_greedy(profile, *mes_add1_net(profile))
