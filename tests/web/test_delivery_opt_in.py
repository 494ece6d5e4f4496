"""Voters opt in to delivery news on the vote's confirmation step: recorded on the account
(User.notify_delivery), never on the ballot; from the publication on they follow the winners
of their envelopes (their commune's and the intercommunal ones), and each change of stage
reaches them grouped in the daily digest."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from budget.domain.delivery import Stage, TrackingUpdate
from budget.extensions import db
from budget.mail import outbox
from budget.models import Ballot, BallotSelection, Follow, Participation, User
from budget.models.time import utcnow
from budget.services import accounts, cycles, follow_digest, policy, tally, tracking, tracking_read
from tests import factories
from tests.factories import project

LINKS = (lambda pid: f"https://budget.example/proposals/{pid}",
         lambda token: f"https://budget.example/unfollow/{token}")


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def vote(w):
    from budget.domain.phases import Phase
    cycle = factories.cycle(w, Phase.VOTE)
    bob = w.users["bob"]
    return cycle, {"jardin": project(cycle, w.north, "Jardin", 6_000, bob),
                   "halle": project(cycle, w.south, "Halle", 9_000, bob),
                   "piste": project(cycle, None, "Piste cyclable", 30_000, bob)}


def publish(cycle):
    cycles.close_vote(policy.SYSTEM_OPERATOR, cycle)
    run = tally.run_tally(policy.SYSTEM_OPERATOR, cycle)
    tally.publish(policy.SYSTEM_OPERATOR, cycle, run.id)


def test_the_confirmation_step_offers_the_opt_in_and_records_it_on_the_account(
        browser, w, vote):
    cycle, projects = vote
    browser.login("alice@example.fr")
    review = browser.post(f"/cycles/{cycle.id}/vote/review",
                          {"project": [projects["jardin"].id]}).get_data(as_text=True)
    assert 'name="notify_delivery"' in review
    assert "jamais avec votre bulletin" in review
    done = browser.post(f"/cycles/{cycle.id}/vote/confirm",
                        {"project": [projects["jardin"].id], "notify_delivery": "y"})
    assert done.status_code == 200
    assert db.session.get(User, w.users["alice"].id).notify_delivery
    again = browser.get("/account").get_data(as_text=True)
    assert 'name="notify_delivery"' in again and "checked" in again


def test_a_voter_who_leaves_the_box_unticked_is_not_opted_in(browser, w, vote):
    cycle, projects = vote
    browser.login("alice@example.fr")
    browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [projects["jardin"].id]})
    assert db.session.scalar(select(Participation).where(
        Participation.user_id == w.users["alice"].id)) is not None
    assert not db.session.get(User, w.users["alice"].id).notify_delivery


def test_the_ballot_box_has_no_column_that_could_link_a_ballot_to_the_opt_in():
    """Secrecy: the ballots name no voter, no participation, no account setting; the opt-in
    changes nothing in them."""
    for model, allowed in ((Ballot, {"id", "cycle_id", "commune_id", "receipt_hash", "cast_on",
                                     "channel"}),
                           (BallotSelection, {"ballot_id", "proposal_id", "points"})):
        columns = {c.name for c in inspect(model).columns}
        assert columns <= allowed, f"{model.__tablename__} grew {columns - allowed}"
        referred = {fk.column.table.name for c in inspect(model).columns
                    for fk in c.foreign_keys}
        assert not referred & {"users", "participations", "follows"}
    assert "notify_delivery" in {c.name for c in inspect(User).columns}, "on the account"


def test_opted_in_voters_follow_the_winners_of_their_envelopes_and_get_one_grouped_email(
        w, vote):
    cycle, projects = vote
    from budget.services import voting
    alice, bob = w.users["alice"], w.users["bob"]  # Nordville, Sudville
    voting.cast(alice, cycle, [projects["jardin"].id, projects["piste"].id])
    voting.cast(bob, cycle, [projects["halle"].id, projects["piste"].id])
    accounts.opt_in_delivery_news(alice)
    publish(cycle)
    followed = {f.proposal_id for f in db.session.scalars(
        select(Follow).where(Follow.user_id == alice.id))}
    assert followed == {projects["jardin"].id, projects["piste"].id}, \
        "her commune's winner and the intercommunal one, not Sudville's"
    assert db.session.scalars(select(Follow).where(Follow.user_id == bob.id)).all() == []
    outbox().clear()
    for name in ("jardin", "piste"):
        record = tracking_read.of_proposal(projects[name])
        tracking.update(w.users["staff"], record, TrackingUpdate(
            stage=Stage.WORKS, progress=10, committed=0, spent=0, planned_delivery=None,
            delivered_on=None, abandon_reason="", service="",
            delivered_by_commune=record.commune_id is not None))
    assert outbox() == []
    assert follow_digest.send_digests(*LINKS, utcnow() + timedelta(seconds=1)) == 1
    [message] = outbox()
    body = message.get_content()
    assert message["To"] == "alice@example.fr"
    assert "« Jardin »" in body and "« Piste cyclable »" in body and body.count("Travaux") == 2


def test_opting_out_drops_the_follows_made_for_it_and_keeps_those_asked_for(w, vote):
    cycle, projects = vote
    from budget.services import follows, voting
    alice = w.users["alice"]
    voting.cast(alice, cycle, [projects["jardin"].id])
    accounts.opt_in_delivery_news(alice)
    publish(cycle)
    follows.follow(alice, projects["piste"])  # asked for herself
    accounts.set_notifications(alice, results=False, delivery=False)
    assert [f.proposal_id for f in db.session.scalars(
        select(Follow).where(Follow.user_id == alice.id))] == [projects["piste"].id]
    accounts.set_notifications(alice, results=False, delivery=True)
    assert {f.proposal_id for f in db.session.scalars(
        select(Follow).where(Follow.user_id == alice.id))} == {projects["jardin"].id,
                                                               projects["piste"].id}
