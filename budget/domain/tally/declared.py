"""`declared`: the rule a Pabulib file says its city used (META `rule`), as one of ours.

META `min_project_score_threshold`, when present, applies to the greedy rules (Gdynia declares
`greedy-no-skip` with a threshold). Rules we cannot reproduce from the file alone
(`greedy-custom`, `equalshares/add1-comparison`, `unknown`, ...) raise RuleNotApplicable.
"""
from __future__ import annotations

from typing import Mapping

from .model import RuleNotApplicable

DECLARED = {
    "greedy": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "greedy-threshold": "greedy-threshold",
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
}


def declared_rule(meta: Mapping[str, str]) -> tuple[str, dict]:
    """(our rule name, its parameters) for a file's META. Raises RuleNotApplicable."""
    declared = meta.get("rule", "").strip()
    if declared not in DECLARED:
        raise RuleNotApplicable(f"the declared rule {declared!r} is not one we implement; "
                                f"known: {', '.join(DECLARED)}")
    name, params = DECLARED[declared], {}
    threshold = meta.get("min_project_score_threshold", "").strip()
    if name.startswith("greedy"):
        if threshold:
            from fractions import Fraction
            params["threshold"] = Fraction(threshold.replace(",", "."))
        elif name == "greedy-threshold":
            raise RuleNotApplicable("greedy-threshold needs META min_project_score_threshold")
    return name, params
