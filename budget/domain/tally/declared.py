"""`declared`: the rule a Pabulib file says its city used (META `rule`), as one of ours.

The labels are Pabulib's (its format page and `pabulib-checker` 1.0.8, which checks a file's
`selected` column against them). META `min_project_score_threshold`, when present, applies to
the greedy rules (Gdynia declares `greedy-no-skip` with a threshold). A greedy label on a file
with ordinal ballots and a PROJECTS `score` column (Kraków 2024) ranks by that column
(`greedy-score`), as Pabulib's checker does: the ballots do not say what a rank is worth. On
other ballots the score is what the ballots count (votes, or points), so the file's column is
not needed. `equalshares/add1` stays pabutools' recipe (`mes-add1`): it is the platform's
import and export contract (bench/README.md says where it differs from equalshares.net's).
Labels without a rule the file alone defines (`greedy-exclusive`: projects that exclude each
other; `greedy-custom`: a city's own rule, told in a comment; `unknown`) raise
RuleNotApplicable.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from .model import RuleNotApplicable

DECLARED = {
    "greedy": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "greedy-threshold": "greedy-threshold",
    "equalshares": "mes",
    "equalshares-comparison": "mes-comparison",
    "equalshares/add1": "mes-add1",
    "equalshares/add1-comparison": "mes-add1-net-comparison",
}
GREEDY_LABELS = ("greedy", "greedy-no-skip", "greedy-threshold")


def declared_rule(meta: Mapping[str, str], scores: Mapping | None = None,
                  vote_type: str | None = None) -> tuple[str, dict]:
    """(our rule name, its parameters) for a file's META. scores: the file's PROJECTS score
    column (greedy_score.score_column), if any; vote_type: its ballots' (Election.vote_type).
    Raises RuleNotApplicable."""
    declared = meta.get("rule", "").strip()
    if declared not in DECLARED:
        raise RuleNotApplicable(f"the declared rule {declared!r} is not one we implement; "
                                f"known: {', '.join(DECLARED)}")
    name, params = DECLARED[declared], {}
    threshold = meta.get("min_project_score_threshold", "").strip()
    if declared in GREEDY_LABELS:
        if threshold:
            params["threshold"] = Fraction(threshold.replace(",", "."))
        elif declared == "greedy-threshold":
            raise RuleNotApplicable("greedy-threshold needs META min_project_score_threshold")
        if scores is not None and vote_type == "ordinal":
            name = "greedy-score"
            params.update(scores=scores, no_skip=(declared == "greedy-no-skip"))
    return name, params
