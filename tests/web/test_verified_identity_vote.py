"""A cycle that asks for an identity verified by FranceConnect, through the pages: staff choose
it; a resident linked to a verified identity sees the certified date of birth (not a field),
swears residence and votes; one without a verified identity is told how to get one."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import EligibilityDeclaration
from budget.services import identity_hash, provider_accounts
from budget.services.provider_accounts import VerifiedIdentity
from tests import factories
from tests.conftest import someone

FR = {"Accept-Language": "fr"}


@pytest.fixture
def w(session):
    return factories.world()


def verified_cycle(w):
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.eligibility = EligibilityRules(minimum_age=16, reference_date=date(2026, 12, 1),
                                         sworn_residence=True,
                                         proof=Proof.IDENTITY_PROVIDER).as_params()
    cycle.park_id = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"]).id
    db.session.commit()
    return cycle


def test_staff_may_require_an_identity_verified_by_franceconnect(w, make_browser):
    cycle = factories.cycle(w, Phase.REVIEW)
    staff = someone(make_browser, w, "staff")
    page = staff.get(f"/staff/cycles/{cycle.id}/eligibility", headers=FR).get_data(as_text=True)
    assert "Identité vérifiée par FranceConnect" in page
    saved = staff.post(f"/staff/cycles/{cycle.id}/eligibility",
                       {"sworn_residence": "y", "proof": "identity_provider"})
    assert saved.status_code == 302
    assert cycle.eligibility_rules.proof == Proof.IDENTITY_PROVIDER


def test_a_verified_resident_votes_with_the_certified_birth_date(w, make_browser):
    cycle = verified_cycle(w)
    provider_accounts.link_existing(VerifiedIdentity(
        identity_hash.subject_hash("https://fc.example", "fc-alice"), "alice@example.fr", True,
        "Alice", date(1980, 4, 12)), factories.PASSWORD)
    alice = someone(make_browser, w, "alice")
    page = alice.get(f"/cycles/{cycle.id}/vote/eligibility",
                     headers=FR).get_data(as_text=True)
    assert "12 avril 1980" in page and 'name="birth_date"' not in page
    assert "Votre identité est vérifiée par FranceConnect" in page
    # A date typed anyway (a crafted form) is not the one kept.
    accepted = alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                          {"birth_date": "2015-01-01", "sworn_residence": "y"})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    declared = db.session.scalar(select(EligibilityDeclaration))
    assert declared.birth_date == date(1980, 4, 12) and declared.identity_hash
    ballot = alice.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [cycle.park_id]})
    assert ballot.status_code == 200 and 'class="receipt"' in ballot.get_data(as_text=True)
    account = alice.get("/account", headers=FR).get_data(as_text=True)
    assert "Identité vérifiée" in account and "12 avril 1980" in account


def test_a_resident_without_a_verified_identity_is_told_how_to_get_one(w, make_browser):
    cycle = verified_cycle(w)
    alice = someone(make_browser, w, "alice")
    refused = alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                       {"birth_date": "1980-01-01", "sworn_residence": "y"}, headers=FR)
    assert refused.status_code == 422
    assert "identifiez-vous avec FranceConnect" in refused.get_data(as_text=True)
    assert db.session.scalar(select(EligibilityDeclaration)) is None
