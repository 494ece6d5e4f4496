"""The desk checks a voter by the identity provider (the hash of their identity and their
certified date of birth, as the web edge hands them over), records them as voting in person,
and issues a kiosk unlock: one identity, one ballot per cycle, whatever the accounts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from budget.domain.eligibility import Declaration, Proof
from budget.domain.errors import DomainError, NotEligible
from budget.extensions import db
from budget.models import EligibilityDeclaration, KioskUnlock, User
from budget.services import (desk_identity, eligibility, identity_hash, kiosk_voting, kiosks,
                             provider_accounts, voting)
from budget.services.provider_accounts import VerifiedIdentity
from tests import factories
from tests.services.eligibility_helpers import cycle_with, park

ISSUER = "https://fc.example"
ADULT = date(1980, 4, 12)


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def station(w):
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER, minimum_age=16,
                       reference_date=date(2026, 12, 1), sworn_residence=True)
    return kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie")


def subject(sub="fc-marie") -> str:
    return identity_hash.subject_hash(ISSUER, sub)


def clerk() -> User:
    return db.session.scalar(select(User).where(User.email == "northclerk@example.fr"))


def check(station, sub="fc-marie", birth=ADULT, sworn=True) -> str:
    return desk_identity.issue_unlock(clerk(), station, subject(sub), birth, sworn)


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def link(w, who="alice", sub="fc-marie"):
    provider_accounts.link_existing(VerifiedIdentity(subject(sub), f"{who}@example.fr", True,
                                                     who, ADULT), factories.PASSWORD)
    return w.users[who]


def test_a_checked_identity_gets_an_unlock_and_no_account(w, station):
    accounts = rows(User)
    code = check(station)
    assert len(code) == 7 and rows(KioskUnlock) == 1 and rows(User) == accounts
    held = db.session.scalar(select(EligibilityDeclaration))
    assert held.user_id is None and held.in_person_at is not None
    assert held.identity_hash == identity_hash.verified_identity_hash(station.cycle_id,
                                                                      subject())
    assert held.commune_id == station.commune_id and held.birth_date == ADULT


def test_the_same_identity_is_refused_at_the_desk_again(w, station):
    check(station)
    with pytest.raises(DomainError, match="vote in person"):
        check(station)
    assert rows(KioskUnlock) == 1


def test_an_identity_checked_at_the_desk_cannot_declare_online_from_any_account(w, station):
    check(station)
    alice = link(w)
    with pytest.raises(NotEligible) as refused:
        eligibility.declare(alice, station.cycle, Declaration(ADULT, True))
    assert refused.value.message == eligibility.VOTED_IN_PERSON


def test_an_account_that_declared_first_can_no_longer_vote_online(w, station):
    alice = link(w)
    eligibility.declare(alice, station.cycle, Declaration(ADULT, True))
    check(station)
    with pytest.raises(NotEligible) as refused:
        voting.cast(alice, station.cycle, park(station.cycle))
    assert refused.value.message == eligibility.VOTED_IN_PERSON
    assert rows(EligibilityDeclaration) == 1  # the account's declaration, now in person


def test_an_identity_that_voted_online_is_refused_with_nothing_written(w, station):
    alice = link(w)
    eligibility.declare(alice, station.cycle, Declaration(ADULT, True))
    voting.cast(alice, station.cycle, park(station.cycle))
    with pytest.raises(DomainError, match="already voted online"):
        check(station)
    assert rows(KioskUnlock) == 0
    assert db.session.scalar(select(EligibilityDeclaration.in_person_at)) is None


@pytest.mark.parametrize("birth, sworn, field", [
    (date(2015, 1, 1), True, "birth_date"),  # too young on the reference date
    (None, True, None),  # the provider gave no full date of birth
    (ADULT, False, "sworn_residence")])
def test_a_voter_who_does_not_meet_the_rules_is_refused_with_nothing_written(
        w, station, birth, sworn, field):
    with pytest.raises(NotEligible) as refused:
        check(station, birth=birth, sworn=sworn)
    assert refused.value.field == field
    assert rows(KioskUnlock) == 0 and rows(EligibilityDeclaration) == 0


def test_a_census_cycle_has_no_desk_check_by_the_provider(w):
    cycle = cycle_with(w, Proof.CENSUS)
    station = kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie")
    with pytest.raises(DomainError, match="does not identify its voters by FranceConnect"):
        check(station)
    assert rows(EligibilityDeclaration) == 0


def test_the_unlock_opens_a_kiosk_ballot(w, station):
    kiosk = kiosks.live_kiosk(kiosks.open_kiosk(clerk(), station))
    code = check(station)
    kiosk_voting.unlock(kiosk, code)
    kiosk_voting.cast(kiosk, park(station.cycle))
    assert db.session.scalar(select(KioskUnlock.used_at)) is not None
