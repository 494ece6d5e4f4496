"""Residents discuss a proposal: comment, reply, correct within 15 minutes, report; staff of
the territory hide, restore and block; the charter comes before a first comment; the policy
decides who comments in which phase; links in comments are made safe."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.mail import outbox
from budget.models import AuditEntry, Comment, CommentBlock, Report
from budget.domain.proposals import Status
from tests import factories
from tests.conftest import someone

HIDDEN_NOTE = "Commentaire masqué par la modération\u202f: "


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def someone_as(make_browser, w):
    """A browser signed in as one of the world's people (None: a visitor)."""
    return lambda who: someone(make_browser, w, who)


@pytest.fixture
def scene(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc des Tilleuls", 5_000, w.users["bob"])
    return cycle, park


def comment(browser, proposal, body, accept=True):
    data = {"body": body}
    if accept:
        data["accept_charter"] = "y"
    return browser.post(f"/proposals/{proposal.id}/comments", data)


def comments_of(proposal) -> list[Comment]:
    return list(db.session.scalars(select(Comment).where(Comment.proposal_id == proposal.id)
                                   .order_by(Comment.id)))


def test_a_resident_comments_and_the_author_is_emailed(scene, someone_as):
    _, park = scene
    alice = someone_as("alice")
    before = len(outbox())
    response = comment(alice, park, "Il faudrait des bancs à l'ombre.")
    assert response.status_code == 302
    [posted] = comments_of(park)
    assert posted.body == "Il faudrait des bancs à l'ombre."
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert "Il faudrait des bancs à l&#x27;ombre." in page and f'id="comment-{posted.id}"' in page
    [message] = outbox()[before:]
    assert message["To"] == "bob@example.fr"
    assert message["Subject"] == "Nouveau commentaire sur votre proposition"
    assert "Il faudrait des bancs" in message.get_content()
    assert "alice@example.fr" not in message.get_content()


def test_the_first_comment_needs_the_charter_accepted_then_no_more(scene, someone_as):
    _, park = scene
    alice = someone_as("alice")
    assert "Charte de participation" in alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    refused = comment(alice, park, "Sans accepter la charte", accept=False)
    assert refused.status_code == 422 and comments_of(park) == []
    assert "Acceptez la charte de participation" in refused.get_data(as_text=True)
    assert comment(alice, park, "Avec la charte").status_code == 302
    assert comment(alice, park, "La seconde fois, plus besoin", accept=False).status_code == 302
    assert len(comments_of(park)) == 2


def test_one_level_of_replies(scene, someone_as):
    _, park = scene
    alice, bob = someone_as("alice"), someone_as("bob")
    comment(alice, park, "Une question sur le coût ?")
    [first] = comments_of(park)
    assert bob.get(f"/comments/{first.id}/reply").status_code == 200
    assert bob.post(f"/comments/{first.id}/reply",
                    {"body": "Le devis est joint.", "accept_charter": "y"}).status_code == 302
    reply = comments_of(park)[1]
    assert reply.parent_id == first.id
    deeper = alice.post(f"/comments/{reply.id}/reply", {"body": "Merci"})
    assert deeper.status_code == 422 and len(comments_of(park)) == 2
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert page.index("Une question") < page.index('class="replies"') < page.index("Le devis")


def test_the_author_corrects_within_15_minutes_only(scene, someone_as):
    _, park = scene
    alice, bob = someone_as("alice"), someone_as("bob")
    comment(alice, park, "Premiere version")
    [posted] = comments_of(park)
    assert bob.post(f"/comments/{posted.id}/edit", {"body": "Pas à moi"}).status_code == 403
    assert alice.post(f"/comments/{posted.id}/edit",
                      {"body": "Première version"}).status_code == 302
    assert posted.body == "Première version" and posted.edited_at is not None
    posted.created_at -= timedelta(minutes=16)
    db.session.commit()
    late = alice.post(f"/comments/{posted.id}/edit", {"body": "Trop tard"})
    assert late.status_code == 422 and "15 minutes" in late.get_data(as_text=True)
    db.session.refresh(posted)
    assert posted.body == "Première version"


def test_script_and_javascript_links_stay_plain_text(scene, someone_as):
    _, park = scene
    alice = someone_as("alice")
    comment(alice, park, '<script>alert(1)</script> voir https://exemple.fr/plan?a=1&b=2. '
                         'et javascript:alert(2) <a href="javascript:alert(3)">x</a>')
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ('<a href="https://exemple.fr/plan?a=1&amp;b=2" rel="nofollow ugc noopener">'
            in page)
    assert 'href="javascript:' not in page


def test_anyone_signed_in_reports_and_staff_hide_with_the_reason_shown(scene, someone_as):
    cycle, park = scene
    alice, zoe = someone_as("alice"), someone_as("zoe")
    comment(alice, park, "Texte injurieux")
    [posted] = comments_of(park)
    # zoe lives elsewhere: she cannot comment here, but she can report what she reads.
    assert zoe.post(f"/comments/{posted.id}/report", {"reason": "Insulte"}).status_code == 302
    assert zoe.post(f"/comments/{posted.id}/report", {"reason": "Encore"}).status_code == 422
    assert zoe.post(f"/proposals/{park.id}/report", {"reason": "Publicité"}).status_code == 302
    clerk = someone_as("northclerk")
    queue = clerk.get(f"/staff/cycles/{cycle.id}/moderation").get_data(as_text=True)
    assert "Insulte" in queue and "Publicité" in queue
    assert someone_as("southclerk").get(f"/comments/{posted.id}/hide").status_code == 403
    assert clerk.post(f"/comments/{posted.id}/hide", {"reason": "Propos injurieux"}
                      ).status_code == 302
    assert posted.is_hidden
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert HIDDEN_NOTE + "Propos injurieux" in page and "Texte injurieux" not in page
    report = db.session.scalar(select(Report).where(Report.comment_id == posted.id))
    assert report.outcome == "hidden"
    assert clerk.post(f"/comments/{posted.id}/restore").status_code == 302
    assert not posted.is_hidden
    assert "Texte injurieux" in alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.cycle_id == cycle.id)).all()
    assert {"comment.hide", "comment.restore"} <= set(actions)


def test_a_dismissed_report_leaves_the_queue(scene, someone_as):
    cycle, park = scene
    bob = someone_as("bob")
    bob.post(f"/proposals/{park.id}/report", {"reason": "Doublon d'une autre idée"})
    report = db.session.scalar(select(Report))
    staff = someone_as("staff")
    assert staff.post(f"/reports/{report.id}/dismiss").status_code == 302
    assert report.outcome == "dismissed"
    queue = staff.get(f"/staff/cycles/{cycle.id}/moderation").get_data(as_text=True)
    assert "Aucun signalement à traiter." in queue
    assert "report.dismiss" in db.session.scalars(select(AuditEntry.action)).all()


def test_a_blocked_account_can_no_longer_comment_in_the_commune(scene, someone_as, w):
    cycle, park = scene
    alice = someone_as("alice")
    comment(alice, park, "Spam spam spam")
    [posted] = comments_of(park)
    clerk = someone_as("northclerk")
    assert clerk.post(f"/comments/{posted.id}/block", {"reason": "Messages répétés"}
                      ).status_code == 302
    block = db.session.scalar(select(CommentBlock))
    assert (block.user_id, block.commune_id) == (w.users["alice"].id, w.north.id)
    assert comment(alice, park, "Encore du spam").status_code == 403
    assert len(comments_of(park)) == 1
    # Nordville's clerk blocks in Nordville only: a proposal of Sudville stays open to alice.
    south = factories.project(cycle, w.south, "Piste", 3_000, w.users["bob"])
    assert comment(alice, south, "Ailleurs, je peux").status_code == 302
    assert "comment.block_author" in db.session.scalars(select(AuditEntry.action)).all()


def test_staff_publish_the_charter_residents_read(scene, someone_as):
    cycle, _ = scene
    assert someone_as("alice").get(f"/staff/cycles/{cycle.id}/charter").status_code == 403
    staff = someone_as("staff")
    assert staff.post(f"/staff/cycles/{cycle.id}/charter",
                      {"body": "Trop court"}).status_code == 422
    text = "Soyez courtois, restez dans le sujet, citez vos sources."
    assert staff.post(f"/staff/cycles/{cycle.id}/charter", {"body": text}).status_code == 302
    assert text in someone_as(None).get(f"/cycles/{cycle.id}/charter").get_data(as_text=True)
    assert "charter.update" in db.session.scalars(select(AuditEntry.action)).all()


def test_comments_follow_the_phases_staff_chose(w, someone_as):
    cycle = factories.cycle(w, Phase.VOTE)  # by default comments close when the vote opens
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    alice = someone_as("alice")
    assert comment(alice, park, "Pendant le vote").status_code == 422
    assert 'name="body"' not in alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    cycle.comment_phases = ["vote"]
    db.session.commit()
    assert comment(alice, park, "Pendant le vote").status_code == 302


def test_only_confirmed_residents_comment(scene, someone_as, w):
    _, park = scene
    assert comment(someone_as("zoe"), park, "Je vis ailleurs").status_code == 403
    w.users["alice"].email_verified_at = None
    db.session.commit()
    assert comment(someone_as("alice"), park, "Pas confirmée").status_code == 422
    assert comments_of(park) == []
    assert someone_as(None).post(f"/proposals/{park.id}/comments",
                                 {"body": "Anonyme"}).status_code == 302  # to sign in


def test_comments_of_a_proposal_nobody_may_read_are_not_shown(w, someone_as):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    withdrawn = factories.project(cycle, w.north, "Retirée", 5_000, w.users["bob"],
                                  Status.WITHDRAWN)
    db.session.add(Comment(proposal=withdrawn, author=w.users["alice"], body="Vu"))
    db.session.commit()
    [posted] = comments_of(withdrawn)
    alice = someone_as("alice")
    assert alice.get(f"/comments/{posted.id}/reply").status_code == 404
    assert alice.get(f"/comments/{posted.id}/report").status_code == 404


def test_the_api_counts_shown_comments(scene, someone_as, w):
    cycle, park = scene
    alice = someone_as("alice")
    comment(alice, park, "Un")
    comment(alice, park, "Deux")
    second = comments_of(park)[1]
    second.hidden_at, second.hidden_reason = second.created_at, "Hors sujet"
    db.session.commit()
    data = someone_as(None).get(f"/api/v1/cycles/{cycle.id}/proposals").get_json()
    [listed] = [p for p in data["proposals"] if p["id"] == park.id]
    assert listed["comment_count"] == 1
    assert "alice@example.fr" not in str(data)


def test_a_block_is_lifted_by_the_staff_of_its_territory(scene, someone_as, w):
    cycle, park = scene
    alice = someone_as("alice")
    comment(alice, park, "Spam")
    [posted] = comments_of(park)
    clerk = someone_as("northclerk")
    clerk.post(f"/comments/{posted.id}/block", {"reason": "Messages répétés"})
    block = db.session.scalar(select(CommentBlock))
    queue = clerk.get(f"/staff/cycles/{cycle.id}/moderation").get_data(as_text=True)
    assert "Comptes bloqués" in queue and "Messages répétés" in queue
    lift = f"/staff/cycles/{cycle.id}/blocks/{block.id}/lift"
    assert someone_as("southclerk").post(lift).status_code == 403
    assert clerk.post(lift).status_code == 302
    assert db.session.scalar(select(CommentBlock)) is None
    assert comment(alice, park, "De retour, poliment").status_code == 302
    assert "comment.unblock_author" in db.session.scalars(select(AuditEntry.action)).all()
