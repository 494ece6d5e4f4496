"""Access codes, paper voters and the purge, through the services."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from budget.domain.eligibility import Proof, appeal_deadline
from budget.domain.errors import DomainError, NotAllowed, NotEligible, WrongPhase
from budget.extensions import db
from budget.models import AccessCode, CensusEntry, EligibilityDeclaration, Participation
from budget.services import access_codes, census, eligibility, paper_voters, voting
from tests import factories
from tests.services import eligibility_helpers as helpers
from tests.services.eligibility_helpers import BIRTH, count, cycle_with, declare, park


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def census_cycle(w):
    return helpers.census_cycle(w)


# --- access codes -------------------------------------------------------------------------

@pytest.fixture
def code_cycle(w):
    return cycle_with(w, Proof.ACCESS_CODE)


def test_codes_are_generated_per_commune_and_stored_as_hashes(w, code_cycle):
    codes = access_codes.generate_codes(w.users["northclerk"], code_cycle, w.north, 25)
    assert len(set(codes)) == 25
    hashes = " ".join(db.session.scalars(select(AccessCode.code_hash)))
    assert not any(code.replace("-", "") in hashes or code in hashes for code in codes)
    assert access_codes.code_counts(code_cycle) == {w.north.id: 25}
    with pytest.raises(DomainError) as refused:
        access_codes.generate_codes(w.users["staff"], code_cycle, w.north, 2001)
    assert refused.value.field == "quantity"
    with pytest.raises(NotAllowed):
        access_codes.generate_codes(w.users["otherstaff"], code_cycle, w.north, 1)


def test_a_code_opens_one_ballot_once(w, code_cycle):
    [code] = access_codes.generate_codes(w.users["staff"], code_cycle, w.north, 1)
    declare(w.users["alice"], code_cycle, code=code.lower().replace("-", " "))
    voting.cast(w.users["alice"], code_cycle, park(code_cycle))
    with pytest.raises(NotEligible, match="already been used"):
        declare(w.users["staff"], code_cycle, code=code)


def test_a_code_of_another_commune_or_an_invented_one_is_refused(w, code_cycle):
    [south_code] = access_codes.generate_codes(w.users["staff"], code_cycle, w.south, 1)
    with pytest.raises(NotEligible, match="another commune"):
        declare(w.users["alice"], code_cycle, code=south_code)
    with pytest.raises(NotEligible, match="not valid"):
        declare(w.users["alice"], code_cycle, code="ABCD-EFGH-JKMN")
    assert count(EligibilityDeclaration, code_cycle) == 0


def test_unused_codes_can_be_withdrawn(w, code_cycle):
    codes = access_codes.generate_codes(w.users["staff"], code_cycle, w.north, 3)
    declare(w.users["alice"], code_cycle, code=codes[0])
    paper_voters.record_paper_voter(w.users["northclerk"], code_cycle, w.north, code=codes[1])
    assert access_codes.withdraw_unused_codes(w.users["northclerk"], code_cycle, w.north) == 1
    with pytest.raises(NotEligible, match="not valid"):
        declare(w.users["staff"], code_cycle, code=codes[2])


# --- paper voters -------------------------------------------------------------------------

def test_a_paper_vote_blocks_the_online_ballot(w, census_cycle):
    paper_voters.record_paper_voter(w.users["northclerk"], census_cycle, w.north,
                                    identifier="NORD-1", birth_date=BIRTH)
    with pytest.raises(NotEligible, match="on paper"):
        declare(w.users["alice"], census_cycle, BIRTH, identifier="NORD-1")
    with pytest.raises(DomainError, match="already recorded"):
        paper_voters.record_paper_voter(w.users["staff"], census_cycle, w.north,
                                        identifier="NORD-1", birth_date=BIRTH)


def test_a_paper_vote_after_a_declaration_blocks_the_account(w, census_cycle):
    alice = w.users["alice"]
    declare(alice, census_cycle, BIRTH, identifier="NORD-1")
    paper_voters.record_paper_voter(w.users["staff"], census_cycle, w.north,
                                    identifier="NORD-1", birth_date=BIRTH)
    with pytest.raises(NotEligible, match="on paper"):
        voting.cast(alice, census_cycle, park(census_cycle))
    db.session.rollback()
    assert count(Participation, census_cycle) == 0


def test_an_identity_that_voted_online_is_refused_on_paper(w, census_cycle):
    declare(w.users["alice"], census_cycle, BIRTH, identifier="NORD-1")
    voting.cast(w.users["alice"], census_cycle, park(census_cycle))
    with pytest.raises(DomainError, match="already voted online") as refused:
        paper_voters.record_paper_voter(w.users["northclerk"], census_cycle, w.north,
                                        identifier="NORD-1", birth_date=BIRTH)
    assert refused.value.field == "identifier"


def on_both_lists(w, cycle) -> None:
    census.import_census(w.users["southclerk"], cycle, w.south,
                         b"identifiant;date_de_naissance\nNORD-1;02/03/1980\n")


def test_a_paper_vote_on_one_list_blocks_the_identity_on_every_list(w, census_cycle):
    on_both_lists(w, census_cycle)
    paper_voters.record_paper_voter(w.users["southclerk"], census_cycle, w.south,
                                    identifier="NORD-1", birth_date=BIRTH)
    with pytest.raises(NotEligible, match="on paper"):
        declare(w.users["alice"], census_cycle, BIRTH, identifier="NORD-1")
    with pytest.raises(DomainError, match="already recorded"):
        paper_voters.record_paper_voter(w.users["northclerk"], census_cycle, w.north,
                                        identifier="NORD-1", birth_date=BIRTH)


def test_an_online_vote_through_one_list_is_refused_on_paper_on_another(w, census_cycle):
    on_both_lists(w, census_cycle)
    declare(w.users["alice"], census_cycle, BIRTH, identifier="NORD-1")
    voting.cast(w.users["alice"], census_cycle, park(census_cycle))
    with pytest.raises(DomainError, match="already voted online"):
        paper_voters.record_paper_voter(w.users["southclerk"], census_cycle, w.south,
                                        identifier="NORD-1", birth_date=BIRTH)


def test_a_code_used_online_is_refused_on_paper(w, code_cycle):
    [code] = access_codes.generate_codes(w.users["staff"], code_cycle, w.north, 1)
    declare(w.users["alice"], code_cycle, code=code)
    voting.cast(w.users["alice"], code_cycle, park(code_cycle))
    with pytest.raises(DomainError, match="already voted online"):
        paper_voters.record_paper_voter(w.users["staff"], code_cycle, w.north, code=code)


def test_paper_voters_are_recorded_by_the_communes_staff_during_the_vote(w, census_cycle):
    for who in ("southclerk", "council", "otherstaff"):
        with pytest.raises(NotAllowed):
            paper_voters.record_paper_voter(w.users[who], census_cycle, w.north,
                                            identifier="NORD-1", birth_date=BIRTH)
    # Sudville's clerk is not told that Nordville lists this person.
    with pytest.raises(DomainError, match="Nobody"):
        paper_voters.record_paper_voter(w.users["southclerk"], census_cycle, w.south,
                                        identifier="NORD-1", birth_date=BIRTH)
    with pytest.raises(DomainError, match="Nobody"):
        paper_voters.record_paper_voter(w.users["staff"], census_cycle, w.north,
                                        identifier="NORD-1", birth_date=date(1999, 1, 1))


# --- purge --------------------------------------------------------------------------------

def test_the_purge_waits_for_the_end_of_the_appeal_period(w, census_cycle):
    declare(w.users["alice"], census_cycle, BIRTH, identifier="NORD-1")
    with pytest.raises(WrongPhase, match="not closed"):
        eligibility.purge(census_cycle)
    later = census_cycle.vote_end + timedelta(days=40)
    with pytest.raises(WrongPhase, match="appeal period") as refused:
        eligibility.purge(census_cycle, now=later)
    assert refused.value.params["date"].date() == appeal_deadline(census_cycle.vote_end).date()
    assert count(CensusEntry, census_cycle) == 3
    counts = eligibility.purge(census_cycle, appeal_days=30, now=later)
    assert counts == {"declarations": 1, "census entries": 3, "access codes": 0}
    assert count(CensusEntry, census_cycle) == count(EligibilityDeclaration, census_cycle) == 0
