"""The indicators of the evaluations after delivery, read from residents' answers and the
texts staff published (services/evaluation.py): per project, and per set of projects (an
edition on the Éditions page, the catalogue). Counts under SMALL_COUNT are not shown
(domain/evaluation.py)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from budget.domain.delivery import Stage
from budget.domain.evaluation import Indicators, ProjectIndicators, combine, project_indicators
from budget.extensions import db
from budget.models import EvaluationAnswer, ProjectEvaluation, ProjectTracking


def evaluation_indicators(tracking_ids: Iterable[int]) -> Indicators:
    """The indicators of the delivered projects among the tracking records `tracking_ids`
    (the others are left out): `projects` maps each delivered record's id to its
    ProjectIndicators (answers, share using it, mean usefulness, whether it has a text);
    `delivered`, `evaluated` (`evaluated_share`) and `mean_usefulness` are over the set.
    Two queries, whatever the number of records."""
    ids = list(tracking_ids)
    delivered = list(db.session.scalars(select(ProjectTracking.id).where(
        ProjectTracking.id.in_(ids), ProjectTracking.stage == Stage.DELIVERED))) if ids else []
    if not delivered:
        return combine({})
    answers: dict[int, list] = {record_id: [] for record_id in delivered}
    for record_id, usage, usefulness in db.session.execute(select(
            EvaluationAnswer.tracking_id, EvaluationAnswer.usage, EvaluationAnswer.usefulness)
            .where(EvaluationAnswer.tracking_id.in_(delivered))):
        answers[record_id].append((usage, usefulness))
    texts = set(db.session.scalars(select(ProjectEvaluation.tracking_id).where(
        ProjectEvaluation.tracking_id.in_(delivered))))
    return combine({record_id: project_indicators(found, record_id in texts)
                    for record_id, found in answers.items()})


def of_project(record: ProjectTracking) -> ProjectIndicators | None:
    """One record's indicators; None unless it is delivered."""
    return evaluation_indicators([record.id]).projects.get(record.id)


def of_cycles(cycle_ids: Iterable[int]) -> dict[int, Indicators]:
    """Cycle id -> the indicators of its delivered winners (every cycle asked is a key)."""
    ids = list(cycle_ids)
    by_cycle: dict[int, list[int]] = {cycle_id: [] for cycle_id in ids}
    if ids:
        for record_id, cycle_id in db.session.execute(select(
                ProjectTracking.id, ProjectTracking.cycle_id).where(
                ProjectTracking.cycle_id.in_(ids))):
            by_cycle[cycle_id].append(record_id)
    everything = evaluation_indicators([i for found in by_cycle.values() for i in found])
    return {cycle_id: combine({i: everything.projects[i] for i in found
                               if i in everything.projects})
            for cycle_id, found in by_cycle.items()}


def texts(tracking_ids: Iterable[int]) -> dict[int, str]:
    """Tracking record id -> the evaluation text its staff published (absent: none)."""
    ids = list(tracking_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(ProjectEvaluation.tracking_id, ProjectEvaluation.body)
                                   .where(ProjectEvaluation.tracking_id.in_(ids))).all())


def answers_with_comments(record: ProjectTracking) -> list[EvaluationAnswer]:
    """The answers about `record` that carry a comment, newest first (hidden ones included:
    the page shows the moderators' reason in their place)."""
    return list(db.session.scalars(select(EvaluationAnswer).where(
        EvaluationAnswer.tracking_id == record.id, EvaluationAnswer.comment.is_not(None))
        .order_by(EvaluationAnswer.created_at.desc(), EvaluationAnswer.id.desc())))
