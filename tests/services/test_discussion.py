"""The discussion's services on the database (SQLite and PostgreSQL): comments, replies,
counts, reports, the moderators' decisions in the audit log, blocks and the charter."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from budget.domain.errors import DomainError, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import AuditEntry, CharterAcceptance, Comment
from budget.services import discussion, moderation, policy
from budget.services.policy import Action
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def park(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    return factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])


def test_a_first_comment_records_the_accepted_charter_with_it(w, park):
    alice = w.users["alice"]
    with pytest.raises(DomainError) as refused:
        discussion.post(alice, park, "Bonjour")
    assert refused.value.field == "accept_charter"
    assert db.session.scalars(select(Comment)).all() == []
    discussion.post(alice, park, "Bonjour", accepts_charter=True)
    assert db.session.get(CharterAcceptance, (alice.id, park.cycle_id)) is not None


def test_threads_keep_replies_under_their_comment_and_counts_skip_hidden_ones(w, park):
    alice, bob = w.users["alice"], w.users["bob"]
    first = discussion.post(alice, park, "Question", accepts_charter=True)
    reply = discussion.post(bob, park, "Réponse", accepts_charter=True, parent=first)
    other = discussion.post(alice, park, "Autre sujet")
    with pytest.raises(DomainError):
        discussion.post(alice, park, "Trop profond", parent=reply)
    [one, two] = discussion.threads(None, park)
    assert (one.comment.body, [r.body for r in one.replies]) == ("Question", ["Réponse"])
    assert two.comment.id == other.id
    moderation.hide(w.users["northclerk"], other, "Hors sujet")
    assert discussion.comment_counts([park.id]) == {park.id: 2}


def test_nobody_comments_outside_the_chosen_phases(w, park):
    park.cycle.comment_phases = ["review"]
    db.session.commit()
    with pytest.raises(WrongPhase):
        discussion.post(w.users["alice"], park, "Trop tôt", accepts_charter=True)
    assert not policy.can(w.users["alice"], Action.COMMENT, park.cycle, park)
    assert policy.concerns(w.users["alice"], Action.COMMENT, park.cycle, park)


def test_a_report_is_one_per_person_until_decided(w, park):
    zoe = w.users["zoe"]
    moderation.report(zoe, park, "Publicité")
    with pytest.raises(DomainError):
        moderation.report(zoe, park, "Encore")
    queue = db.session.scalars(moderation.queue(w.users["staff"], park.cycle)).all()
    assert [r.reason for r in queue] == ["Publicité"]
    assert db.session.scalars(moderation.queue(w.users["southclerk"], park.cycle)).all() == []
    moderation.dismiss(w.users["staff"], queue[0])
    moderation.report(zoe, park, "Encore de la publicité")


def test_every_decision_is_in_the_audit_log(w, park):
    comment = discussion.post(w.users["alice"], park, "Texte", accepts_charter=True)
    clerk = w.users["northclerk"]
    moderation.hide(clerk, comment, "Propos injurieux")
    moderation.restore(clerk, comment)
    moderation.block(clerk, comment, "Récidive")
    moderation.save_charter(w.users["staff"], park.cycle, "Restez courtois et dans le sujet.")
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions[-4:] == ["comment.hide", "comment.restore", "comment.block_author",
                            "charter.update"]


def test_only_the_staff_of_the_proposal_s_territory_moderate(w, park):
    comment = discussion.post(w.users["alice"], park, "Texte", accepts_charter=True)
    for outsider in ("southclerk", "otherstaff", "council", "bob"):
        with pytest.raises(NotAllowed):
            moderation.hide(w.users[outsider], comment, "Motif valable")
    assert not comment.is_hidden


def test_a_block_by_intercommunal_staff_covers_every_commune(w, park):
    comment = discussion.post(w.users["alice"], park, "Texte", accepts_charter=True)
    moderation.block(w.users["staff"], comment, "Récidive")
    south = factories.project(park.cycle, w.south, "Piste", 3_000, w.users["bob"])
    intercommunal = factories.project(park.cycle, None, "Navette", 9_000, w.users["bob"])
    for proposal in (park, south, intercommunal):
        with pytest.raises(NotAllowed):
            discussion.post(w.users["alice"], proposal, "Encore")
    with pytest.raises(DomainError):
        moderation.block(w.users["staff"], comment, "Deux fois")
