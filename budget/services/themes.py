"""A cycle's themes: defined by its staff, chosen for each proposal (one or more) by its
author at submission and by staff at review."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import DomainError
from budget.domain.themes import ICONS, MAX_THEME_DESCRIPTION, MAX_THEME_NAME
from budget.extensions import db
from budget.models import BudgetCycle, Proposal, Theme
from budget.models.theme import proposal_themes
from budget.services import audit, policy
from budget.services.policy import Action
from budget.services.transaction import use_case


@dataclass(frozen=True)
class ThemeDraft:
    name: str
    description: str
    icon: str


def themes_of(cycle: BudgetCycle) -> list[Theme]:
    """The cycle's themes, by name."""
    return list(db.session.scalars(
        select(Theme).where(Theme.cycle_id == cycle.id).order_by(Theme.name)))


def theme_of(cycle: BudgetCycle, theme_id: int) -> Theme | None:
    theme = db.session.get(Theme, theme_id)
    return theme if theme is not None and theme.cycle_id == cycle.id else None


def _apply(cycle: BudgetCycle, theme: Theme, draft: ThemeDraft) -> None:
    name = " ".join(draft.name.split())
    if not name or len(name) > MAX_THEME_NAME:
        raise DomainError("Give the theme a name of at most 60 characters.", field="name")
    if len(draft.description.strip()) > MAX_THEME_DESCRIPTION:
        raise DomainError("Describe the theme in at most 200 characters.", field="description")
    if draft.icon not in ICONS:
        raise DomainError("Choose one of the icons.", field="icon")
    taken = db.session.scalar(select(Theme.id).where(Theme.cycle_id == cycle.id,
                                                      Theme.name == name))
    if taken is not None and taken != theme.id:
        raise DomainError("The cycle already has a theme of that name.", field="name")
    theme.name, theme.description, theme.icon = name, draft.description.strip(), draft.icon
    db.session.add(theme)
    try:  # two staff naming a theme alike at the same moment: the unique constraint decides
        db.session.flush()
    except IntegrityError as error:
        raise DomainError("The cycle already has a theme of that name.", field="name") \
            from error


def _state(theme: Theme) -> dict:
    return {"name": theme.name, "description": theme.description, "icon": theme.icon}


@use_case
def create_theme(user, cycle: BudgetCycle, draft: ThemeDraft) -> Theme:
    """Raises NotAllowed, WrongPhase or DomainError (naming the field); nothing saved then."""
    policy.check(user, Action.MANAGE_THEMES, cycle)
    theme = Theme(cycle_id=cycle.id)
    _apply(cycle, theme, draft)
    audit.record(user, "theme.create", theme, after=_state(theme))
    return theme


@use_case
def update_theme(user, theme: Theme, draft: ThemeDraft) -> None:
    cycle = db.session.get(BudgetCycle, theme.cycle_id)
    policy.check(user, Action.MANAGE_THEMES, cycle)
    before = _state(theme)
    _apply(cycle, theme, draft)
    audit.record(user, "theme.update", theme, before=before, after=_state(theme))


@use_case
def delete_theme(user, theme: Theme) -> None:
    """The theme goes, and with it its place on every proposal (which keeps its others)."""
    cycle = db.session.get(BudgetCycle, theme.cycle_id)
    policy.check(user, Action.MANAGE_THEMES, cycle)
    audit.record(user, "theme.delete", theme, before=_state(theme))
    for proposal in db.session.scalars(select(Proposal).where(Proposal.themes.contains(theme))):
        proposal.themes.remove(theme)
    db.session.delete(theme)


def chosen_themes(cycle: BudgetCycle, theme_ids) -> list[Theme]:
    """The themes chosen for a proposal of `cycle`: one or more when the cycle has themes,
    each of them the cycle's. Raises DomainError (field "theme_ids")."""
    available = {theme.id: theme for theme in themes_of(cycle)}
    ids = set(theme_ids or ())
    if ids - set(available):
        raise DomainError("Choose among the cycle's themes.", field="theme_ids")
    if available and not ids:
        raise DomainError("Choose at least one theme.", field="theme_ids")
    return [available[theme_id] for theme_id in sorted(ids)]


def of_proposals(proposal_ids) -> dict[int, list[tuple[int, str]]]:
    """Proposal id -> its themes as (id, name), by name (absent: none)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(proposal_themes.c.proposal_id, Theme.id, Theme.name)
        .join(Theme, Theme.id == proposal_themes.c.theme_id)
        .where(proposal_themes.c.proposal_id.in_(ids)).order_by(Theme.name, Theme.id))
    found: dict[int, list[tuple[int, str]]] = {}
    for proposal_id, theme_id, name in rows:
        found.setdefault(proposal_id, []).append((theme_id, name))
    return found
