"""Delivering the winning projects: the stages a project goes through after the vote, and the
rules an update of its tracking must follow. Plain data in, DomainError out."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from budget.domain.errors import DomainError, InvalidSetup
from budget.domain.phases import N_
from budget.domain.proposals import MAX_COST


class Stage(str, enum.Enum):
    """Paris's four stages of delivery, and the honest fifth."""

    STUDIES = "studies"  # études
    PROCUREMENT = "procurement"  # marchés publics
    WORKS = "works"  # travaux
    DELIVERED = "delivered"  # livré
    ABANDONED = "abandoned"  # abandonné, with a public reason
    MERGED = "merged"  # fusionné: delivered as part of another winner of the same cycle


IN_PROGRESS = (Stage.STUDIES, Stage.PROCUREMENT, Stage.WORKS)
STAGE_LABELS = {
    Stage.STUDIES: N_("Studies"),
    Stage.PROCUREMENT: N_("Public procurement"),
    Stage.WORKS: N_("Works"),
    Stage.DELIVERED: N_("Delivered"),
    Stage.ABANDONED: N_("Abandoned"),
    Stage.MERGED: N_("Merged into another project"),
}
MAX_MILESTONE_TEXT = 300
MAX_REASON = 2000


@dataclass(frozen=True)
class TrackingUpdate:
    """What staff send about a project's delivery. Money in whole euros; progress in %."""

    stage: Stage
    progress: int
    committed: int
    spent: int
    planned_delivery: date | None
    delivered_on: date | None
    abandon_reason: str
    service: str
    delivered_by_commune: bool  # False: the intercommunalité delivers it
    # The tracking record (its id) this project is merged into: required by Stage.MERGED.
    merged_into: int | None = None


def check_update(update: TrackingUpdate, today: date) -> None:
    """Raise InvalidSetup listing every broken rule, each with its form field."""
    problems = []
    if not 0 <= update.progress <= 100:
        problems.append(DomainError(N_("The progress is a percentage, from 0 to 100."),
                                    field="progress"))
    for name, amount in (("committed", update.committed), ("spent", update.spent)):
        if not 0 <= amount <= MAX_COST:
            problems.append(DomainError(N_("Enter an amount in whole euros, from 0 to "
                                           "%(amount)s."), field=name, amount=MAX_COST))
    if 0 <= update.committed < update.spent:
        problems.append(DomainError(N_("The money spent cannot exceed the money committed."),
                                    field="spent"))
    if update.stage == Stage.ABANDONED and not update.abandon_reason.strip():
        problems.append(DomainError(N_("Say publicly why the project is abandoned."),
                                    field="abandon_reason"))
    if len(update.abandon_reason) > MAX_REASON:
        problems.append(DomainError(N_("At most %(count)d characters."), field="abandon_reason",
                                    count=MAX_REASON))
    if update.stage == Stage.MERGED and update.merged_into is None:
        problems.append(DomainError(N_("Choose the project it is merged into."),
                                    field="merged_into"))
    if update.stage == Stage.DELIVERED:
        if update.delivered_on is None:
            problems.append(DomainError(N_("Give the date the project was delivered."),
                                        field="delivered_on"))
        elif update.delivered_on > today:
            problems.append(DomainError(N_("The delivery date cannot be in the future."),
                                        field="delivered_on"))
        if update.progress != 100:
            problems.append(DomainError(N_("A delivered project is complete: set its "
                                           "progress to 100."), field="progress"))
    if problems:
        raise InvalidSetup(problems)


def check_milestone(text: str, happened_on: date | None) -> None:
    problems = []
    if not text.strip():
        problems.append(DomainError(N_("Say what happened, in a short sentence."), field="text"))
    elif len(text.strip()) > MAX_MILESTONE_TEXT:
        problems.append(DomainError(N_("At most %(count)d characters."), field="text",
                                    count=MAX_MILESTONE_TEXT))
    if happened_on is None:
        problems.append(DomainError(N_("Give the milestone's date."), field="happened_on"))
    if problems:
        raise InvalidSetup(problems)


def planned_dates(history: list[date | None]) -> list[date]:
    """The planned delivery dates announced, in order, each once per change (successive
    repeats dropped; an emptied date ends nothing): [first announced, ..., current]."""
    announced: list[date] = []
    for planned in history:
        if planned is not None and (not announced or announced[-1] != planned):
            announced.append(planned)
    return announced
