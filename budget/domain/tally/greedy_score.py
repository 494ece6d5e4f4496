"""`greedy-score`: greedy on the scores a city announced, not on what the ballots count.

This is the greedy that Pabulib's checker (`pabulib-checker` 1.0.8, `Checker.
verify_greedy_selected`, with `results_field = "score"` when PROJECTS has a score column)
applies to a file whose META `rule` is `greedy`, `greedy-no-skip` or `greedy-threshold` and
whose PROJECTS section has a `score` column: projects by decreasing score, funded while they
fit (skipping what does not, or stopping there with `no_skip`), those below `threshold` left
out. Kraków 2024 is such a file: ordinal ballots of three projects, and the city ranks by
points (3 for a first choice, 2 for a second, 1 for a third), which is its score column; the
ballots alone do not say which points a position is worth (the file has no `scoring_fn`).

Equal scores go to the first project in tie order (pabutools' default: the smallest id as a
string). Projects with score 0 come last, as in `greedy`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from . import greedy as greedy_rules
from .model import InvalidElection
from .exact_numbers import exact_number
from .profile import Profile


def score_column(projects: Mapping[str, Mapping[str, str]]) -> dict[str, Fraction] | None:
    """The PROJECTS `score` column of a Pabulib file (project id -> its cells, as read), or
    None when no project has one. Raises InvalidElection if some project lacks it or it is not
    a non-negative number (`,` is read as the decimal point)."""
    if not any(cells.get("score", "").strip() for cells in projects.values()):
        return None
    result = {}
    for pid, cells in projects.items():
        text = cells.get("score", "").strip()
        try:
            value = Fraction(text.replace(",", "."))
        except (ValueError, ZeroDivisionError):
            raise InvalidElection(f"project {pid!r}: score {text!r} is not a number") from None
        if value < 0:
            raise InvalidElection(f"project {pid!r}: score {text!r} is negative")
        result[pid] = value
    return result


def greedy_score(profile: Profile, scores: Mapping[str, object], threshold=None,
                 no_skip: bool = False) -> tuple[list[int], dict]:
    """(selected indices in selection order, details as `greedy`'s, score_is "announced").

    scores: project id -> announced score (a number >= 0; every project needs one, extra ids
    are ignored). threshold: projects scoring below it are not funded. no_skip: stop at the
    first project that does not fit. Raises InvalidElection.
    """
    missing = [pid for pid in profile.ids if pid not in scores]
    if missing:
        raise InvalidElection(f"greedy-score needs a score for every project; missing: "
                              f"{sorted(missing)[:10]}")
    score = []
    for pid in profile.ids:
        value = Fraction(exact_number(scores[pid], f"score of project {pid!r}"))
        score.append(value.numerator if value.denominator == 1 else value)
    return greedy_rules.greedy(profile, score=score, threshold=threshold, no_skip=no_skip)
