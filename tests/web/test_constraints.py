"""Invariants the database itself enforces, whatever the application code does.

Rows are inserted directly (Core INSERTs, no service, no form). Each expected failure runs in
a savepoint, so that the test's transaction survives it (PostgreSQL aborts a transaction on
error), and every test also shows the neighbouring valid row is accepted.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from budget.domain.phases import Phase
from budget.models import (Ballot, BallotSelection, BudgetCycle, Envelope, Participation,
                           Proposal, User)
from budget.models.time import utcnow
from tests import factories
from tests.factories import envelope, project


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w):
    return factories.cycle(w, Phase.VOTE)


def accepted(session, model, **values):
    session.execute(insert(model).values(**values))


def refused(session, model, **values):
    """The INSERT fails with an IntegrityError and leaves the transaction usable."""
    before = count(session, model)
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(insert(model).values(**values))
    assert count(session, model) == before


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def proposal_values(cycle, w, **changes) -> dict:
    values = dict(cycle_id=cycle.id, envelope_id=envelope(cycle, w.north).id,
                  author_id=w.users["alice"].id, title="Parc", description="Un parc.",
                  estimated_cost=5_000, final_cost=None, status="submitted")
    values.update(changes)
    return values


def ballot_values(cycle, w, receipt: str, **changes) -> dict:
    values = dict(id=receipt.ljust(32, "0"), cycle_id=cycle.id, commune_id=w.north.id,
                  receipt_hash=receipt.ljust(64, "a"), channel="online")
    values.update(changes)
    return values


# --- One vote per voter ---------------------------------------------------------------------

def test_a_voter_has_one_participation_per_cycle(session, w, cycle):
    alice = w.users["alice"].id
    accepted(session, Participation, cycle_id=cycle.id, user_id=alice, voted_at=utcnow())
    refused(session, Participation, cycle_id=cycle.id, user_id=alice, voted_at=utcnow())
    # The same voter in another cycle, and another voter in this one, are fine.
    other = factories.cycle(w, Phase.VOTE)
    accepted(session, Participation, cycle_id=other.id, user_id=alice, voted_at=utcnow())
    accepted(session, Participation, cycle_id=cycle.id, user_id=w.users["bob"].id,
             voted_at=utcnow())
    assert count(session, Participation) == 3


def test_receipt_hashes_are_unique(session, w, cycle):
    accepted(session, Ballot, **ballot_values(cycle, w, "1"))
    refused(session, Ballot, **ballot_values(cycle, w, "2", receipt_hash="1".ljust(64, "a")))
    accepted(session, Ballot, **ballot_values(cycle, w, "3"))


def test_a_ballot_selects_a_project_once(session, w, cycle):
    park = project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    accepted(session, Ballot, **ballot_values(cycle, w, "1"))
    ballot_id = "1".ljust(32, "0")
    accepted(session, BallotSelection, ballot_id=ballot_id, proposal_id=park.id)
    refused(session, BallotSelection, ballot_id=ballot_id, proposal_id=park.id)
    refused(session, BallotSelection, ballot_id=ballot_id, proposal_id=999999)  # foreign key


def test_points_are_never_negative(session, w, cycle):
    park = project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    pool = project(cycle, w.north, "Préau", 5_000, w.users["bob"])
    accepted(session, Ballot, **ballot_values(cycle, w, "2"))
    ballot_id = "2".ljust(32, "0")
    refused(session, BallotSelection, ballot_id=ballot_id, proposal_id=park.id, points=-1)
    accepted(session, BallotSelection, ballot_id=ballot_id, proposal_id=park.id, points=0)
    accepted(session, BallotSelection, ballot_id=ballot_id, proposal_id=pool.id, points=None)


# --- Envelopes ------------------------------------------------------------------------------

def test_one_intercommunal_envelope_per_cycle(session, w, cycle):
    refused(session, Envelope, cycle_id=cycle.id, commune_id=None, amount=1_000)
    assert len([e for e in cycle.envelopes if e.commune_id is None]) == 1
    # The partial index is per cycle: a new cycle gets its own intercommunal envelope.
    fresh = BudgetCycle(intercommunality=w.epci, title="Autre", description="",
                        proposals_start=cycle.proposals_start,
                        review_start=cycle.review_start, vote_start=cycle.vote_start,
                        vote_end=cycle.vote_end, vote_format="approval", vote_params={},
                        tally_rule="greedy")
    session.add(fresh)
    session.flush()
    accepted(session, Envelope, cycle_id=fresh.id, commune_id=None, amount=1_000)
    refused(session, Envelope, cycle_id=fresh.id, commune_id=None, amount=2_000)


def test_one_envelope_per_commune_and_cycle(session, w, cycle):
    refused(session, Envelope, cycle_id=cycle.id, commune_id=w.north.id, amount=1_000)
    accepted(session, Envelope, cycle_id=cycle.id, commune_id=w.elsewhere.id, amount=1_000)


@pytest.mark.parametrize("amount", [0, -1, -10_000])
def test_envelope_amounts_are_positive(session, w, cycle, amount):
    refused(session, Envelope, cycle_id=cycle.id, commune_id=w.elsewhere.id, amount=amount)
    accepted(session, Envelope, cycle_id=cycle.id, commune_id=w.elsewhere.id, amount=1)


# --- Proposals ------------------------------------------------------------------------------

@pytest.mark.parametrize("changes", [
    {"estimated_cost": 0},
    {"estimated_cost": -100},
    {"final_cost": 0, "status": "rejected"},
    {"final_cost": -1, "status": "rejected"},
    {"status": "on_ballot", "final_cost": None},
], ids=["zero-cost", "negative-cost", "zero-final-cost", "negative-final-cost",
        "on-ballot-without-final-cost"])
def test_proposal_costs_are_checked(session, w, cycle, changes):
    refused(session, Proposal, **proposal_values(cycle, w, **changes))
    accepted(session, Proposal, **proposal_values(cycle, w))
    accepted(session, Proposal, **proposal_values(cycle, w, status="on_ballot", final_cost=1))


# --- Users and cycles -----------------------------------------------------------------------

def user_values(email: str) -> dict:
    return dict(email=email, password_hash="x", display_name="X", role="citizen",
                home_commune_id=None, created_at=utcnow())


@pytest.mark.parametrize("email", ["Camille@example.fr", "CAMILLE@EXAMPLE.FR",
                                   "camille@Example.fr"])
def test_emails_are_stored_lower_case(session, w, email):
    refused(session, User, **user_values(email))
    accepted(session, User, **user_values(email.lower()))
    refused(session, User, **user_values(email.lower()))  # and unique


def test_cycle_phases_are_in_order(session, w):
    now = utcnow()
    days = [now + timedelta(days=d) for d in range(4)]
    base = dict(intercommunality_id=w.epci.id, title="T", description="",
                vote_format="approval", vote_params={}, tally_rule="greedy")
    refused(session, BudgetCycle, **base, proposals_start=days[1], review_start=days[0],
            vote_start=days[2], vote_end=days[3])
    refused(session, BudgetCycle, **base, proposals_start=days[0], review_start=days[1],
            vote_start=days[3], vote_end=days[2])
    refused(session, BudgetCycle, **base, proposals_start=days[0], review_start=days[1],
            vote_start=days[2], vote_end=days[2])
    accepted(session, BudgetCycle, **base, proposals_start=days[0], review_start=days[1],
             vote_start=days[2], vote_end=days[3])
