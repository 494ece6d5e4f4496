"""The evaluation's part of a delivered project's page (public/proposal.html includes
evaluation/_panel.html with what `panel` returns)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from budget.blueprints.evaluation.blueprint import bp
from budget.blueprints.evaluation.forms import AnswerForm
from budget.domain.delivery import Stage
from budget.domain.evaluation import (USAGE_LABELS, USEFULNESS_LABELS, ProjectIndicators,
                                      evaluation_ends)
from budget.models import EvaluationAnswer, ProjectEvaluation, ProjectTracking
from budget.services import evaluation, evaluation_read, tracking


@bp.app_template_global()
def usefulness_words(value: float) -> str:
    """The words of the scale nearest `value` (1 to 5): 3.7 -> "Useful"."""
    return gettext(USEFULNESS_LABELS[min(5, max(1, int(value + 0.5)))])


@bp.app_template_global()
def usage_words(usage) -> str:
    return gettext(USAGE_LABELS[usage])


@dataclass(frozen=True)
class Panel:
    record: ProjectTracking
    indicators: ProjectIndicators
    text: ProjectEvaluation | None
    mine: EvaluationAnswer | None
    may_answer: bool
    form: AnswerForm | None
    ends: date
    is_open: bool
    comments: list[EvaluationAnswer]


def panel(user, record: ProjectTracking | None) -> Panel | None:
    """What the page shows of the evaluation of `record`; None unless it is delivered."""
    if record is None or record.stage != Stage.DELIVERED or record.delivered_on is None:
        return None
    may = evaluation.may_answer(user, record)
    ends = evaluation_ends(record.delivered_on)
    return Panel(record, evaluation_read.of_project(record), evaluation.text_of(record),
                 evaluation.answer_of(user, record), may, AnswerForm() if may else None,
                 ends, tracking.today() <= ends, evaluation_read.answers_with_comments(record))
