"""Following proposals (services/follows.py) and the daily digest (services/follow_digest.py),
on the database (SQLite and PostgreSQL): the author follows their proposal, one follow per
person and proposal, news of status and stage changes grouped in one email a day, comments only
for those who chose them, and the signed unfollow link."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget import mail
from budget.domain.delivery import Stage
from budget.domain.errors import DomainError, EmailNotVerified, NotAllowed
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Ballot, Follow, FollowNews, Participation
from budget.models.time import utcnow
from budget.services import discussion, follow_digest, follows, proposals, tracking
from budget.services.proposals import Decision, ProposalDraft
from tests import factories
from tests.services.test_tracking import changes, record_of
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def w(session):
    mail.outbox().clear()
    return factories.world()


def page(proposal_id):
    return f"https://budget.example.fr/proposals/{proposal_id}"


def stop(token):
    return f"https://budget.example.fr/unfollow/{token}"


def digests(now=None) -> int:
    return follow_digest.send_digests(page, stop, now)


def mails_to(address):
    """The digests sent to `address` (an author also gets an email for each comment)."""
    return [m for m in mail.outbox() if m["To"] == address
            and m["Subject"] == "Des nouvelles des propositions que vous suivez"]


def test_the_author_of_a_submitted_proposal_follows_it(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    proposal = proposals.submit(w.users["alice"], cycle, ProposalDraft(
        "Des arbres", "Pour l'ombre.", 2_000, factories.envelope(cycle, w.north).id))
    follow = follows.of(w.users["alice"], proposal)
    assert follow is not None and not follow.with_comments
    assert follows.of(w.users["bob"], proposal) is None


def test_following_twice_keeps_one_follow_and_unfollowing_removes_it(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    alice = w.users["alice"]
    follows.follow(alice, park)
    follows.follow(alice, park, with_comments=True)
    assert [(f.proposal_id, f.with_comments) for f in follows.followed_by(alice)] == [
        (park.id, True)]
    assert follows.unfollow(alice, park) is True
    assert follows.unfollow(alice, park) is False
    assert follows.followed_by(alice) == []


def test_the_database_refuses_a_second_follow_of_the_same_proposal(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    follows.follow(w.users["alice"], park)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Follow(user_id=w.users["alice"].id, proposal_id=park.id))


def test_only_those_who_may_read_a_proposal_follow_it_with_a_confirmed_address(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    rejected = factories.project(cycle, w.north, "Piscine", 8_000, w.users["alice"],
                                 Status.REJECTED)
    with pytest.raises(NotAllowed):
        follows.follow(w.users["bob"], rejected)
    follows.follow(w.users["alice"], rejected)  # its author reads it
    unconfirmed = factories.user("new@example.fr", w.north, verified=False)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    with pytest.raises(EmailNotVerified):
        follows.follow(unconfirmed, park)
    assert follows.of(unconfirmed, park) is None


def test_two_changes_in_a_day_make_one_email_and_a_second_run_that_day_sends_none(w):
    cycle = factories.cycle(w, Phase.REVIEW)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"], Status.SUBMITTED)
    follows.follow(w.users["alice"], park)
    clerk = w.users["northclerk"]
    proposals.review(clerk, park, Decision(Status.IN_REVIEW))
    proposals.review(clerk, park, Decision(Status.ON_BALLOT, final_cost=5_500,
                                           cost_justification="Devis."))
    now = utcnow() + timedelta(seconds=1)
    assert digests(now) == 1
    [sent] = mails_to("alice@example.fr")
    body = sent.get_content()
    assert "« Parc »" in body
    assert body.index("étudient") < body.index("bulletin de vote")
    assert f"https://budget.example.fr/proposals/{park.id}" in body
    proposals.review(clerk, park, Decision(Status.IN_REVIEW))  # back to review, and back
    proposals.review(clerk, park, Decision(Status.ON_BALLOT, final_cost=5_200,
                                           cost_justification="Nouveau devis."))
    for latest in db.session.scalars(select(FollowNews).order_by(FollowNews.id.desc())
                                     .limit(2)):
        latest.created_at = now + timedelta(minutes=1)  # they happened after that digest
    db.session.commit()
    assert digests(now + timedelta(minutes=5)) == 0  # the same day: tomorrow's digest
    assert digests(now + timedelta(days=1)) == 1
    assert len(mails_to("alice@example.fr")) == 2


def test_a_rejection_reaches_only_those_who_may_read_it_before_the_vote(w):
    """Until the vote, a rejection's reason is its author's (reading.PUBLIC_PROPOSALS)."""
    cycle = factories.cycle(w, Phase.REVIEW)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"], Status.SUBMITTED)
    follows.follow(w.users["alice"], park)
    follows.follow(w.users["bob"], park)
    proposals.review(w.users["northclerk"], park, Decision(Status.REJECTED,
                                                           rejection_reason="Trop cher."))
    assert digests(utcnow() + timedelta(seconds=1)) == 1
    assert mails_to("alice@example.fr") == []
    assert "Trop cher." in mails_to("bob@example.fr")[0].get_content()


def test_nothing_new_sends_nothing_and_old_news_is_dropped(w):
    cycle = factories.cycle(w, Phase.REVIEW)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"], Status.SUBMITTED)
    follows.follow(w.users["alice"], park)
    assert digests(utcnow() + timedelta(seconds=1)) == 0
    assert mail.outbox() == []
    proposals.review(w.users["northclerk"], park, Decision(Status.IN_REVIEW))
    assert db.session.scalars(select(FollowNews)).all() != []
    digests(utcnow() + timedelta(days=31))
    assert db.session.scalars(select(FollowNews)).all() == []


def test_comments_come_only_to_those_who_chose_them_and_never_their_own(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    alice, bob = w.users["alice"], w.users["bob"]
    follows.follow(alice, park)  # without the comments
    follows.follow(bob, park, with_comments=True)
    discussion.post(alice, park, "Bonne idée", accepts_charter=True)
    discussion.post(alice, park, "Et un banc ?")
    discussion.post(bob, park, "Merci !", accepts_charter=True)
    assert digests(utcnow() + timedelta(seconds=1)) == 1
    assert mails_to("alice@example.fr") == []
    [sent] = mails_to("bob@example.fr")
    assert "2 nouveaux commentaires" in sent.get_content()


def test_results_and_delivery_stages_reach_the_followers(w):
    pub = published_cycle(w)
    assert db.session.scalars(select(FollowNews)).all() == []  # nobody followed them yet
    alice = w.users["alice"]
    follows.follow(alice, pub.jardin)
    tracking.update(w.users["northclerk"], record_of(pub.jardin), changes(stage=Stage.WORKS))
    assert digests(utcnow() + timedelta(seconds=1)) == 1
    body = mails_to("alice@example.fr")[0].get_content()
    assert "« Jardin partagé »" in body and "Travaux" in body


def test_publication_tells_followers_who_won_and_who_was_not_funded(w):
    cycle = factories.cycle(w, Phase.VOTE)
    jardin = factories.project(cycle, w.north, "Jardin", 6_000, w.users["bob"])
    banc = factories.project(cycle, w.north, "Banc", 9_000, w.users["bob"])
    alice = w.users["alice"]
    follows.follow(alice, jardin)
    follows.follow(alice, banc)
    from budget.services import cycles, policy, tally, voting
    voting.cast(alice, cycle, [jardin.id])
    cycles.close_vote(policy.SYSTEM_OPERATOR, cycle)
    run = tally.run_tally(policy.SYSTEM_OPERATOR, cycle)
    tally.publish(policy.SYSTEM_OPERATOR, cycle, run.id)
    news = {(n.proposal_id, n.detail) for n in db.session.scalars(select(FollowNews))}
    assert news == {(jardin.id, "won"), (banc.id, "not_funded")}
    assert digests(utcnow() + timedelta(seconds=1)) == 1
    body = mails_to("alice@example.fr")[0].get_content()
    assert "« Jardin »" in body and "« Banc »" in body


def test_following_is_on_the_account_and_never_on_a_ballot(w):
    """A follow names the account and the proposal; the ballot and the participation carry
    nothing of it, and the follow nothing of them."""
    columns = {c.name for c in Follow.__table__.columns}
    assert not {"ballot_id", "participation_id", "cycle_id"} & columns
    assert not {c.name for c in Ballot.__table__.columns} & {"follow_id", "user_id"}
    assert "follow_id" not in {c.name for c in Participation.__table__.columns}


def test_the_unfollow_link_undoes_its_follow_and_only_it(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    bench = factories.project(cycle, w.north, "Banc", 800, w.users["bob"])
    alice = w.users["alice"]
    mine = follows.follow(alice, park)
    follows.follow(alice, bench)
    token = follows.unfollow_token(mine)
    assert follows.proposal_of_token(token).id == park.id
    follows.unfollow_by_token(token)
    assert [f.proposal_id for f in follows.followed_by(alice)] == [bench.id]
    follows.unfollow_by_token(token)  # a second click: done already, no error


def test_a_tampered_or_expired_unfollow_link_is_refused(w, monkeypatch):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    token = follows.unfollow_token(follows.follow(w.users["alice"], park))
    with pytest.raises(DomainError):
        follows.unfollow_by_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    other = URLSafeTimedSerializer("another secret", salt="unfollow").dumps(
        {"follow": 1, "user": 1, "proposal": park.id})
    with pytest.raises(DomainError):
        follows.proposal_of_token(other)

    with monkeypatch.context() as past:  # a link made 400 days ago
        past.setattr(TimestampSigner, "get_timestamp",
                     lambda self: int(time.time()) - 400 * 24 * 3600)
        old = follows.unfollow_token(follows.of(w.users["alice"], park))
    assert follows.proposal_of_token(token).id == park.id  # the fresh one is good
    with pytest.raises(DomainError):
        follows.unfollow_by_token(old)
    assert follows.of(w.users["alice"], park) is not None
