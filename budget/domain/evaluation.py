"""Residents' evaluation of a delivered project: whether they use it, how useful it is, and
the indicators read from their answers. Plain data in, plain data (or DomainError) out.

Small counts are not shown (SMALL_COUNT, as the turnout does): with 1 to 4 answers, someone
who knows who answered could read their answers in a share or a mean.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from budget.domain.errors import DomainError
from budget.domain.phases import N_

SMALL_COUNT = 5
MAX_ANSWER_COMMENT = 1000
MAX_EVALUATION_TEXT = 3000
MIN_EVALUATION_TEXT = 20


class Usage(str, enum.Enum):
    YES = "yes"
    SOMETIMES = "sometimes"
    NO = "no"


USAGE_LABELS = {Usage.YES: N_("Yes"), Usage.SOMETIMES: N_("Sometimes"), Usage.NO: N_("No")}
# The usefulness scale, 1 to 5, each with its words (never stars alone).
USEFULNESS_LABELS = {
    1: N_("Not useful at all"),
    2: N_("Not very useful"),
    3: N_("Fairly useful"),
    4: N_("Useful"),
    5: N_("Very useful"),
}


def evaluation_ends(delivered_on: date) -> date:
    """The last day residents may answer: one year after the delivery (a delivery on
    29 February ends on 28 February)."""
    try:
        return delivered_on.replace(year=delivered_on.year + 1)
    except ValueError:
        return delivered_on.replace(year=delivered_on.year + 1, day=28)


def check_open(delivered_on: date | None, today: date) -> None:
    """Raise DomainError unless a project delivered on `delivered_on` (None: not delivered)
    takes answers on `today`."""
    if delivered_on is None:
        raise DomainError("Residents evaluate a project once it is delivered.")
    if today > evaluation_ends(delivered_on):
        raise DomainError("The evaluation of this project closed one year after its "
                          "delivery.")


def check_answer(usage: str, usefulness: int | None, comment: str | None) -> tuple:
    """(Usage, usefulness, comment or None), checked; raises DomainError on a form field."""
    if usage not in {u.value for u in Usage}:
        raise DomainError("Say whether you use it.", field="usage")
    if usefulness not in USEFULNESS_LABELS:
        raise DomainError("Choose how useful it is, from 1 to 5.", field="usefulness")
    text = (comment or "").strip()
    if len(text) > MAX_ANSWER_COMMENT:
        raise DomainError("At most %(count)s characters.", field="comment",
                          count=MAX_ANSWER_COMMENT)
    return Usage(usage), usefulness, text or None


def check_text(body: str | None) -> str:
    """Staff's evaluation text, trimmed; raises DomainError on the field `body`."""
    text = (body or "").strip()
    if not MIN_EVALUATION_TEXT <= len(text) <= MAX_EVALUATION_TEXT:
        raise DomainError("Write the evaluation (between %(low)s and %(high)s characters).",
                          field="body", low=MIN_EVALUATION_TEXT, high=MAX_EVALUATION_TEXT)
    return text


@dataclass(frozen=True)
class ProjectIndicators:
    """What residents said of one project. `answers` is None for 1 to SMALL_COUNT - 1 answers
    (not shown); then, and with none, `using_share` and `mean_usefulness` are None too.
    `using_share`: answers "yes" or "sometimes" over all answers (0 to 1)."""

    answers: int | None
    using_share: float | None
    mean_usefulness: float | None
    has_text: bool

    @property
    def shown(self) -> bool:
        return bool(self.answers)

    @property
    def evaluated(self) -> bool:
        """Evaluated: staff published its evaluation, or enough residents answered."""
        return self.has_text or self.shown


def project_indicators(answers: list[tuple[Usage, int]], has_text: bool) -> ProjectIndicators:
    """From one project's answers, (usage, usefulness) pairs."""
    count = len(answers)
    if count < SMALL_COUNT:
        return ProjectIndicators(0 if count == 0 else None, None, None, has_text)
    using = sum(usage != Usage.NO for usage, _ in answers)
    return ProjectIndicators(count, round(using / count, 4),
                             round(sum(u for _, u in answers) / count, 2), has_text)


@dataclass(frozen=True)
class Indicators:
    """A set of delivered projects (an edition's, a catalogue's): per project, and together.
    `mean_usefulness` is over the answers of the projects whose figures are shown (so no
    difference of shown figures gives back a hidden one); None when there are none."""

    projects: dict[int, ProjectIndicators]
    delivered: int
    evaluated: int
    mean_usefulness: float | None

    @property
    def evaluated_share(self) -> float | None:
        return round(self.evaluated / self.delivered, 4) if self.delivered else None


def combine(projects: dict[int, ProjectIndicators]) -> Indicators:
    shown = [p for p in projects.values() if p.shown]
    total = sum(p.answers for p in shown)
    mean = (round(sum(p.mean_usefulness * p.answers for p in shown) / total, 2)
            if total else None)
    return Indicators(projects, len(projects), sum(p.evaluated for p in projects.values()),
                      mean)
