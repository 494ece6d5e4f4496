"""Demo tracking: the winners of the demo territory's published cycles, each at a different
stage of its delivery (delivered, works with a planned date put back, public procurement,
studies, abandoned with its reason), with milestones, so that the tracking pages show what
they are for. Records staff already changed are left as they are (idempotent)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from budget.domain.delivery import Stage, TrackingUpdate
from budget.extensions import db
from budget.models import BudgetCycle, Intercommunality
from budget.services import tracking, tracking_read
from budget.services.policy import SYSTEM_OPERATOR


@dataclass(frozen=True)
class Story:
    stage: Stage
    progress: int
    committed: float  # shares of the amount voted
    spent: float
    planned_in_days: tuple[int, ...]  # the planned dates announced, from today
    milestones: tuple[tuple[int, str], ...]  # (days from today, what happened)
    reason: str = ""


STORIES = (
    Story(Stage.DELIVERED, 100, 1.0, 0.96, (-90, -40),
          ((-200, "Études et plans validés avec les riverains"),
           (-120, "Travaux commencés"), (-30, "Inauguration avec les habitants"))),
    Story(Stage.WORKS, 60, 0.95, 0.5, (60, 150),
          ((-60, "Entreprise retenue après appel d'offres"),
           (-20, "Début du chantier"), (45, "Fin du gros œuvre prévue"))),
    Story(Stage.PROCUREMENT, 25, 0.2, 0.05, (240,),
          ((-30, "Cahier des charges publié"), (20, "Choix de l'entreprise"))),
    Story(Stage.STUDIES, 10, 0.0, 0.0, (365,), ((15, "Réunion publique de présentation"),)),
    Story(Stage.ABANDONED, 15, 0.1, 0.05, (),
          ((-45, "Étude de sol réalisée"),),
          reason="L'étude de sol a montré que le terrain est inondable\u202f: le projet sera "
                 "reproposé ailleurs au prochain budget participatif."),
)


def stage_published_cycles(epci: Intercommunality) -> list[str]:
    """Give the untouched tracking records of `epci`'s published cycles their demo stories;
    returns what was done, for the demo's report. Each update is its own use case: call it
    outside any unit of work."""
    done = []
    for cycle in db.session.scalars(select(BudgetCycle).where(
            BudgetCycle.intercommunality_id == epci.id).order_by(BudgetCycle.id)):
        if cycle.published_run is not None:
            count = stage_cycle(cycle)
            if count:
                done.append(f"tracking of {count} projects of {cycle.title}")
    return done


def stage_cycle(cycle: BudgetCycle, today: date | None = None) -> int:
    """Tell a story for each record of `cycle` still as its publication made it."""
    today = today or tracking.today()
    untouched = [r for r in tracking_read.of_cycle(cycle)
                 if len(r.states) == 1 and not r.milestones]
    for number, record in enumerate(untouched):
        story = STORIES[number % len(STORIES)]
        voted = record.amount_voted_eur
        committed = round(voted * story.committed)
        for days in story.planned_in_days or (None,):
            tracking.update(SYSTEM_OPERATOR, record, TrackingUpdate(
                stage=story.stage, progress=story.progress, committed=committed,
                spent=min(committed, round(voted * story.spent)),
                planned_delivery=today + timedelta(days=days) if days is not None else None,
                delivered_on=today - timedelta(days=30) if story.stage == Stage.DELIVERED
                else None,
                abandon_reason=story.reason, service="Services techniques",
                delivered_by_commune=record.commune_id is not None))
        for days, text in story.milestones:
            tracking.add_milestone(SYSTEM_OPERATOR, record, text, today + timedelta(days=days))
    return len(untouched)
