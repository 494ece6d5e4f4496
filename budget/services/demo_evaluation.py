"""Demo evaluations: residents' answers about the delivered winners of the demo territory's
published cycles (synthetic residents of the project's commune, or of the island for an
intercommunal project), a few comments, and the staff's evaluation text of one project per
cycle, so that the project pages and the Éditions page show the indicators. A project that
already has answers or a text is left as it is (idempotent)."""
from __future__ import annotations

import random

from sqlalchemy import select

from budget.domain.delivery import Stage
from budget.domain.evaluation import Usage
from budget.extensions import db
from budget.models import (BudgetCycle, EvaluationAnswer, Intercommunality, ProjectEvaluation,
                           ProjectTracking, User)
from budget.services.transaction import use_case

COMMENTS = ("On y va chaque semaine avec les enfants.", "Bien placé, mais trop petit.",
            "Pratique le matin, moins le soir.")
TEXT = ("Livré dans le budget voté. Les comptages des services montrent une fréquentation "
        "régulière, surtout le week-end ; les habitants demandent un éclairage, étudié pour "
        "le prochain budget participatif.")
# (usage, usefulness) drawn for each synthetic resident: mostly used and found useful.
ANSWERS = ((Usage.YES, 5), (Usage.YES, 4), (Usage.SOMETIMES, 4), (Usage.SOMETIMES, 3),
           (Usage.NO, 2), (Usage.YES, 4), (Usage.NO, 3))


@use_case
def add_evaluations(epci: Intercommunality, seed: int = 2026) -> list[str]:
    """Evaluate the untouched delivered winners of `epci`'s published cycles; what was done,
    for the demo's report. One commit."""
    rng = random.Random(seed)  # nosec B311: synthetic demo data, reproducible on purpose
    residents = db.session.scalars(select(User).where(
        User.email.like("electeur%@demo.budget.fr")).order_by(User.id)).all()
    done = []
    for cycle in db.session.scalars(select(BudgetCycle).where(
            BudgetCycle.intercommunality_id == epci.id).order_by(BudgetCycle.id)):
        records = db.session.scalars(select(ProjectTracking).where(
            ProjectTracking.cycle_id == cycle.id, ProjectTracking.stage == Stage.DELIVERED)
            .order_by(ProjectTracking.id)).all()
        made = 0
        for number, record in enumerate(records):
            if _evaluated(record):
                continue
            neighbours = [u for u in residents if record.commune_id in (None, u.home_commune_id)]
            chosen = rng.sample(neighbours, min(len(neighbours), rng.randint(6, 12)))
            made += bool(chosen or number == 0)
            for index, person in enumerate(chosen):
                usage, usefulness = rng.choice(ANSWERS)
                db.session.add(EvaluationAnswer(
                    tracking_id=record.id, user_id=person.id, usage=usage,
                    usefulness=usefulness,
                    comment=COMMENTS[index] if index < len(COMMENTS) else None))
            if number == 0:
                db.session.add(ProjectEvaluation(tracking_id=record.id, body=TEXT))
        if made:  # a project without residents among the synthetic ones stays untouched
            done.append(f"evaluations of {made} delivered projects of {cycle.title}")
    return done


def _evaluated(record: ProjectTracking) -> bool:
    return db.session.get(ProjectEvaluation, record.id) is not None or db.session.scalar(
        select(EvaluationAnswer.id).where(EvaluationAnswer.tracking_id == record.id)
        .limit(1)) is not None
