"""A cycle's themes (services/themes.py): staff of the cycle define them; a proposal has one
or more, chosen at submission and changed by staff at review (in the audit log)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from budget.domain.errors import DomainError, NotAllowed
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import AuditEntry, Proposal, Theme
from budget.services import proposals, themes
from budget.services.proposals import Decision, ProposalDraft
from budget.services.themes import ThemeDraft
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


def test_staff_define_edit_and_delete_a_theme(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    staff = w.users["staff"]
    theme = themes.create_theme(staff, cycle, ThemeDraft("  Mobilité  douce ", "À vélo.",
                                                         "bicycle"))
    assert (theme.name, theme.description, theme.icon) == ("Mobilité douce", "À vélo.",
                                                           "bicycle")
    themes.update_theme(staff, theme, ThemeDraft("Mobilité", "", "bicycle"))
    assert [t.name for t in themes.themes_of(cycle)] == ["Mobilité"]
    bikes = factories.project(cycle, w.north, "Vélos", 1_000, w.users["alice"])
    bikes.themes = [theme]
    db.session.commit()
    themes.delete_theme(staff, theme)
    assert themes.themes_of(cycle) == [] and db.session.get(Proposal, bikes.id).themes == []
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("theme.%")).order_by(AuditEntry.seq)).all()
    assert actions == ["theme.create", "theme.update", "theme.delete"]


@pytest.mark.parametrize("draft, field", [
    (ThemeDraft("   ", "", "tree"), "name"),
    (ThemeDraft("x" * 61, "", "tree"), "name"),
    (ThemeDraft("Nature", "x" * 201, "tree"), "description"),
    (ThemeDraft("Nature", "", "unicorn"), "icon"),
])
def test_a_theme_needs_a_name_a_short_description_and_a_shipped_icon(w, draft, field):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    with pytest.raises(DomainError) as raised:
        themes.create_theme(w.users["staff"], cycle, draft)
    assert raised.value.field == field
    assert themes.themes_of(cycle) == []


def test_two_themes_of_a_cycle_cannot_share_a_name(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    themes.create_theme(w.users["staff"], cycle, ThemeDraft("Nature", "", "tree"))
    other = themes.create_theme(w.users["staff"], cycle, ThemeDraft("Sport", "", "ball"))
    with pytest.raises(DomainError, match="already"):
        themes.update_theme(w.users["staff"], other, ThemeDraft("Nature", "", "ball"))
    assert db.session.get(Theme, other.id).name == "Sport"


@pytest.mark.parametrize("who", ["alice", "northclerk", "otherstaff", "council"])
def test_only_the_cycles_staff_manage_its_themes(w, who):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    with pytest.raises(NotAllowed):
        themes.create_theme(w.users[who], cycle, ThemeDraft("Nature", "", "tree"))


def draft(cycle, w, theme_ids=()):
    return ProposalDraft("Des arbres", "Pour l'ombre.", 2_000,
                         factories.envelope(cycle, w.north).id, theme_ids=theme_ids)


def test_a_proposal_has_one_or_more_of_its_cycles_themes(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    nature = themes.create_theme(w.users["staff"], cycle, ThemeDraft("Nature", "", "tree"))
    sport = themes.create_theme(w.users["staff"], cycle, ThemeDraft("Sport", "", "ball"))
    alice = w.users["alice"]
    with pytest.raises(DomainError, match="at least one"):
        proposals.submit(alice, cycle, draft(cycle, w))
    elsewhere = factories.cycle(w, Phase.PROPOSALS)
    foreign = themes.create_theme(w.users["staff"], elsewhere, ThemeDraft("Eau", "", "drop"))
    with pytest.raises(DomainError, match="cycle's themes"):
        proposals.submit(alice, cycle, draft(cycle, w, (nature.id, foreign.id)))
    assert db.session.scalar(select(Proposal.id)) is None
    proposal = proposals.submit(alice, cycle, draft(cycle, w, (nature.id, sport.id)))
    assert [t.name for t in proposal.themes] == ["Nature", "Sport"]


def test_a_cycle_without_themes_takes_proposals_without_any(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    assert proposals.submit(w.users["alice"], cycle, draft(cycle, w)).themes == []


def test_staff_change_the_themes_at_review_and_the_log_says_so(w):
    cycle = factories.cycle(w, Phase.REVIEW)
    nature = themes.create_theme(w.users["staff"], cycle, ThemeDraft("Nature", "", "tree"))
    sport = themes.create_theme(w.users["staff"], cycle, ThemeDraft("Sport", "", "ball"))
    proposal = factories.project(cycle, w.north, "Stade", 3_000, w.users["alice"],
                                 Status.SUBMITTED)
    proposal.themes = [nature]
    db.session.commit()
    proposals.review(w.users["northclerk"], proposal, Decision(
        Status.IN_REVIEW, theme_ids=(sport.id,)))
    assert [t.name for t in db.session.get(Proposal, proposal.id).themes] == ["Sport"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "proposal.themes"))
    assert (entry.before, entry.after) == ({"themes": ["Nature"]}, {"themes": ["Sport"]})
    with pytest.raises(DomainError, match="at least one"):
        proposals.review(w.users["northclerk"], proposal, Decision(Status.IN_REVIEW,
                                                                   theme_ids=()))
    assert [t.name for t in db.session.get(Proposal, proposal.id).themes] == ["Sport"]
