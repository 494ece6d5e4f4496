"""The catalogue of funded projects: reference projects from other territories (and this
installation's own winners), never votes. Plain data in, plain data out.

An entry is identified by its source (an installation's address, or a Pabulib file's name)
and its identifier in that source: importing the same file twice finds every entry already
there and adds nothing.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from budget.domain.delivery import IN_PROGRESS, Stage
from budget.domain.phases import N_

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_THEMES = 10
# The source of this installation's own published winners (their identifier: the proposal's id).
LOCAL_SOURCE = "local"


class Band(str, enum.Enum):
    """How big the commune is: the INSEE's usual steps."""

    SMALL = "under_2000"
    TOWN = "2000_10000"
    CITY = "10000_50000"
    LARGE = "over_50000"


BAND_LABELS = {
    Band.SMALL: N_("Under 2,000 inhabitants"),
    Band.TOWN: N_("2,000 to 10,000 inhabitants"),
    Band.CITY: N_("10,000 to 50,000 inhabitants"),
    Band.LARGE: N_("Over 50,000 inhabitants"),
}


def band_of(population: int | None) -> Band | None:
    """The band of a commune of `population` inhabitants; None when unknown."""
    if population is None:
        return None
    if population < 2_000:
        return Band.SMALL
    if population < 10_000:
        return Band.TOWN
    if population < 50_000:
        return Band.CITY
    return Band.LARGE


class Progress(str, enum.Enum):
    """What a search filters on: the vote's outcome, then the delivery when it is known."""

    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    ABANDONED = "abandoned"


PROGRESS_LABELS = {
    Progress.SELECTED: N_("Funded"),
    Progress.NOT_SELECTED: N_("Not funded"),
    Progress.IN_PROGRESS: N_("Being delivered"),
    Progress.DELIVERED: N_("Delivered"),
    Progress.ABANDONED: N_("Abandoned"),
}
STAGES_OF = {Progress.IN_PROGRESS: tuple(IN_PROGRESS), Progress.DELIVERED: (Stage.DELIVERED,),
             Progress.ABANDONED: (Stage.ABANDONED,)}


@dataclass(frozen=True)
class EntryData:
    """One reference project as a file gives it. cost: whole units of `currency`; themes:
    names as written; decided_on: the end of its vote when known; line: where the file says
    it (for errors)."""

    external_id: str
    title: str
    cost: int
    currency: str
    selected: bool | None  # None: the file does not say
    territory_name: str
    year: int | None
    description: str = ""
    themes: tuple[str, ...] = ()
    territory_code: str | None = None
    population: int | None = None
    stage: Stage | None = None
    decided_on: date | None = None
    delivered_on: date | None = None
    line: int | None = None


@dataclass(frozen=True)
class Batch:
    """What one file brings: its source (an address, or a file's name), licence and entries."""

    source: str
    licence: str
    entries: list[EntryData] = field(default_factory=list)


def themes_column(themes: tuple[str, ...]) -> str:
    """Themes as stored: '|Nature|Sport|', so that one theme is found with LIKE '%|Sport|%'."""
    cleaned = [t.strip().replace("|", "/") for t in themes if t.strip()]
    return "|" + "|".join(cleaned[:MAX_THEMES]) + "|" if cleaned else ""


def themes_of(column: str) -> list[str]:
    return [t for t in (column or "").split("|") if t]


def within_a_year(decided_on: date | None, delivered_on: date | None) -> bool:
    """Whether a project was delivered less than a year after its vote."""
    return (decided_on is not None and delivered_on is not None
            and (delivered_on - decided_on).days < 366)
