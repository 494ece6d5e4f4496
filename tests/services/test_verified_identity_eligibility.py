"""A cycle that asks for an identity verified by FranceConnect (or another OpenID Connect
provider): one identity, one ballot per cycle, whatever the accounts; the certified date of
birth is the one the age rule reads; residence still takes the sworn statement."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from budget.domain.eligibility import Proof
from budget.domain.errors import NotEligible
from budget.extensions import db
from budget.models import EligibilityDeclaration, Participation, ProviderIdentity
from budget.models.time import utcnow
from budget.services import identity_hash, provider_accounts, voting
from budget.services.provider_accounts import VerifiedIdentity
from tests import factories
from tests.services.eligibility_helpers import count, cycle_with, declare, park


@pytest.fixture
def w(session):
    return factories.world()


def verified(sub: str, email: str, birth: date | None = date(1980, 4, 12)) -> VerifiedIdentity:
    return VerifiedIdentity(identity_hash.subject_hash("https://fc.example", sub), email, True,
                            "Marie", birth)


def linked(w, who: str, sub: str, birth: date | None = date(1980, 4, 12)):
    user = w.users[who]
    provider_accounts.link_existing(verified(sub, user.email, birth), factories.PASSWORD)
    return user


def test_a_verified_resident_declares_then_votes(w):
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER, sworn_residence=True)
    alice = linked(w, "alice", "fc-alice")
    row = declare(alice, cycle, None, sworn=True)
    link = db.session.scalar(select(ProviderIdentity))
    assert row.identity_hash == identity_hash.verified_identity_hash(cycle.id,
                                                                     link.subject_hash)
    voting.cast(alice, cycle, park(cycle))
    assert count(Participation, cycle) == 1


def test_an_account_without_a_verified_identity_is_refused(w):
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER)
    with pytest.raises(NotEligible, match="identity verified by FranceConnect"):
        declare(w.users["alice"], cycle, None)
    assert count(EligibilityDeclaration, cycle) == 0


def test_residence_still_needs_the_sworn_statement(w):
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER, sworn_residence=True)
    with pytest.raises(NotEligible) as refused:
        declare(linked(w, "alice", "fc-alice"), cycle, None, sworn=False)
    assert [p.field for p in refused.value.problems] == ["sworn_residence"]


def test_the_certified_birth_date_is_the_one_the_age_rule_reads(w):
    reference = utcnow().date() + timedelta(days=30)
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER, minimum_age=16, reference_date=reference)
    too_young = reference.replace(year=reference.year - 15)
    alice = linked(w, "alice", "fc-alice", birth=too_young)
    # Declaring an older date changes nothing: the provider's is used.
    with pytest.raises(NotEligible) as refused:
        declare(alice, cycle, date(1970, 1, 1))
    assert [p.field for p in refused.value.problems] == ["birth_date"]
    bob = linked(w, "bob", "fc-bob", birth=date(1980, 4, 12))
    assert declare(bob, cycle, date(2020, 1, 1)).birth_date == date(1980, 4, 12)


def test_the_database_refuses_one_identity_twice_in_a_cycle(w):
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER)
    key = identity_hash.verified_identity_hash(cycle.id, "a" * 64)
    for who in ("alice", "staff"):
        db.session.add(EligibilityDeclaration(cycle_id=cycle.id, user_id=w.users[who].id,
                                              commune_id=w.north.id, identity_hash=key))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()


def test_one_identity_votes_once_per_cycle_whatever_the_accounts(w):
    """An identity moves to another account (the first one's link deleted, as an admin would
    after a mistake): the cycle's declaration of the identity still holds its ballot."""
    cycle = cycle_with(w, Proof.IDENTITY_PROVIDER)
    alice = linked(w, "alice", "fc-marie")
    declare(alice, cycle, None)
    db.session.delete(db.session.scalar(select(ProviderIdentity)))
    db.session.commit()
    staff = linked(w, "staff", "fc-marie")
    with pytest.raises(NotEligible, match="already used by another account"):
        declare(staff, cycle, None)
    assert count(EligibilityDeclaration, cycle) == 1


def test_hashes_of_one_identity_differ_between_cycles(w):
    first, second = (cycle_with(w, Proof.IDENTITY_PROVIDER) for _ in range(2))
    alice = linked(w, "alice", "fc-alice")
    assert declare(alice, first, None).identity_hash != declare(alice, second, None).identity_hash


def test_an_identity_links_to_one_account_and_an_account_to_one_identity(w):
    linked(w, "alice", "fc-alice")
    with pytest.raises(Exception, match="already linked to another account"):
        provider_accounts.link_existing(verified("fc-alice", "bob@example.fr"),
                                        factories.PASSWORD)
    with pytest.raises(Exception, match="already linked to another identity"):
        provider_accounts.link_existing(verified("fc-other", "alice@example.fr"),
                                        factories.PASSWORD)
    assert db.session.scalar(select(db.func.count()).select_from(ProviderIdentity)) == 1
