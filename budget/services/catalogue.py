"""Reading the catalogue (services/catalogue_import.py fills it): a search with filters, one
entry, and the funded projects elsewhere that resemble a proposal.

An entry's delivery stage is the source's (an imported export's tracking) or, for this
installation's winners, read live from their tracking record.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from budget.domain.catalogue import STAGES_OF, Progress, themes_of, within_a_year
from budget.domain.search_text import query_words
from budget.extensions import db
from budget.models import BudgetCycle, CatalogueEntry, ProjectTracking, Proposal
from budget.services import policy, search
from budget.services.policy import Action

SIMILAR_SHOWN = 5
SIMILAR_CANDIDATES = 200


@dataclass(frozen=True)
class Criteria:
    """What a search asks for; empty values filter nothing. Costs in whole euros."""

    q: str = ""
    theme: str = ""
    cost_min: int | None = None
    cost_max: int | None = None
    band: str = ""
    status: str = ""  # a Progress value


def stage_column():
    """The entry's delivery stage: its tracking record's (own winners), else the source's."""
    return func.coalesce(ProjectTracking.stage, CatalogueEntry.stage)


def delivered_column():
    return func.coalesce(ProjectTracking.delivered_on, CatalogueEntry.delivered_on)


def _base() -> Select:
    return (select(CatalogueEntry, stage_column().label("current_stage"),
                   delivered_column().label("current_delivered_on"))
            .outerjoin(ProjectTracking, ProjectTracking.proposal_id == CatalogueEntry.proposal_id))


def search_statement(criteria: Criteria) -> Select:
    """The entries matching `criteria` (CatalogueEntry rows: `with_stages` adds their
    delivery), most recent year first, then by title."""
    statement = select(CatalogueEntry).outerjoin(
        ProjectTracking, ProjectTracking.proposal_id == CatalogueEntry.proposal_id)
    found = search.matches(criteria.q, CatalogueEntry.search_text)
    if found is not None:
        statement = statement.where(found)
    if criteria.theme:
        statement = statement.where(CatalogueEntry.themes.contains(
            f"|{criteria.theme}|", autoescape=True))
    if criteria.cost_min is not None or criteria.cost_max is not None:
        statement = statement.where(CatalogueEntry.currency == "EUR")
    if criteria.cost_min is not None:
        statement = statement.where(CatalogueEntry.cost >= criteria.cost_min)
    if criteria.cost_max is not None:
        statement = statement.where(CatalogueEntry.cost <= criteria.cost_max)
    if criteria.band:
        statement = statement.where(CatalogueEntry.population_band == criteria.band)
    if criteria.status:
        statement = statement.where(_status_condition(Progress(criteria.status)))
    return statement.order_by(CatalogueEntry.year.desc().nulls_last(), CatalogueEntry.title,
                              CatalogueEntry.id)


def _status_condition(progress: Progress):
    if progress == Progress.SELECTED:
        return CatalogueEntry.selected.is_(True)
    if progress == Progress.NOT_SELECTED:
        return CatalogueEntry.selected.is_(False)
    return stage_column().in_([stage.value for stage in STAGES_OF[progress]])


def with_stages(entries: list[CatalogueEntry]) -> list:
    """(entry, current_stage, current_delivered_on) for each of `entries`, in their order."""
    ids = [e.id for e in entries]
    found = {row[0].id: row for row in db.session.execute(
        _base().where(CatalogueEntry.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids]


def entry(entry_id: int):
    """The row (entry, current_stage, current_delivered_on) of one entry, or None."""
    return db.session.execute(_base().where(CatalogueEntry.id == entry_id)).first()


def themes() -> list[str]:
    """Every theme some entry has, sorted (for the filter's choices)."""
    found = set()
    for column in db.session.scalars(select(CatalogueEntry.themes).distinct()
                                     .where(CatalogueEntry.themes != "")):
        found.update(themes_of(column))
    return sorted(found, key=str.casefold)


@dataclass(frozen=True)
class Similar:
    """The funded projects elsewhere that resemble a text, best first."""

    rows: list  # (entry, current_stage, current_delivered_on)

    @property
    def costs(self) -> list[int]:
        return [row[0].cost for row in self.rows if row[0].currency == "EUR"]

    @property
    def delivered_within_a_year(self) -> int:
        return sum(1 for entry, stage, delivered in self.rows
                   if stage == "delivered" and within_a_year(entry.decided_on, delivered))


def similar(title: str, description: str = "", proposal: Proposal | None = None) -> Similar:
    """Funded catalogue projects sharing words with `title` and `description`, outside the
    territory of `proposal` (when given). Candidates come from the search (any word of the
    text, words of more than 3 letters); each word of the title they hold counts 2, each other
    word 1, and those scoring 2 or more are kept, best first (ties: the oldest entry)."""
    title_words = [w for w in query_words(title) if len(w) > 3]
    wanted = [w for w in query_words(f"{title} {description}") if len(w) > 3]
    if not wanted:
        return Similar([])
    statement = _base().where(CatalogueEntry.selected.is_(True),
                              search.any_word(" ".join(wanted), CatalogueEntry.search_text))
    if proposal is not None:
        statement = statement.where(or_(CatalogueEntry.proposal_id.is_(None),
                                        CatalogueEntry.proposal_id.not_in(
                                            _same_territory(proposal))))
    rows = db.session.execute(statement.order_by(CatalogueEntry.id)
                              .limit(SIMILAR_CANDIDATES)).all()

    def score(row) -> int:
        return sum((2 if w in title_words else 1) for w in wanted
                   if f" {w}" in row[0].search_text)

    best = sorted((row for row in rows if score(row) >= 2),
                  key=lambda row: (-score(row), row[0].id))
    return Similar(best[:SIMILAR_SHOWN])


def _same_territory(proposal: Proposal) -> Select:
    """The proposals of the same intercommunalité as `proposal`: not 'elsewhere'."""
    return (select(Proposal.id).join(BudgetCycle, BudgetCycle.id == Proposal.cycle_id)
            .where(BudgetCycle.intercommunality_id == proposal.cycle.intercommunality_id))


def cycles_open_to(user) -> list[BudgetCycle]:
    """The cycles where `user` may start a proposal now ("Reprendre ce projet")."""
    if user is None or not user.is_authenticated or user.home_commune_id is None:
        return []
    return [cycle for cycle in db.session.scalars(select(BudgetCycle).order_by(BudgetCycle.id))
            if policy.can(user, Action.SUBMIT_PROPOSAL, cycle)]
