"""Polling stations, the desk's unlocks and kiosk ballots, through the services."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from budget.domain.eligibility import Proof
from budget.domain.errors import DomainError, NotAllowed, NotEligible, WrongPhase
from budget.extensions import db
from budget.domain.receipts import receipt_hash
from budget.models import Ballot, CensusEntry, InboxBallot, KioskUnlock, User
from budget.services import (access_codes, ballot_box, eligibility, kiosk_desk, kiosk_voting,
                             kiosks, paper_voters, station_report, turnout, voting)
from budget.services.kiosk_voting import KioskLocked
from budget.models.time import utcnow
from tests import factories
from tests.services import eligibility_helpers as helpers
from tests.services.eligibility_helpers import BIRTH, cycle_with, declare, park


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def census_cycle(w):
    return helpers.census_cycle(w)


@pytest.fixture
def station(w, census_cycle):
    return kiosks.add_station(w.users["northclerk"], census_cycle, w.north, "Mairie, salle 2")


def _staff(station):
    """Nordville's clerk, who runs its stations."""
    return db.session.scalar(select(User).where(User.email == "northclerk@example.fr"))


def kiosk_of(station):
    """A new kiosk of the station, as its device finds it from its cookie's token."""
    return kiosks.live_kiosk(kiosks.open_kiosk(_staff(station), station))


def desk(station, identifier="NORD-1", birth=BIRTH):
    return kiosk_desk.issue_unlock(_staff(station), station, identifier=identifier,
                                   birth_date=birth)


def ballots(cycle, channel="kiosk") -> int:
    ballot_box.mix()
    return db.session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.cycle_id == cycle.id, Ballot.channel == channel))


def test_a_kiosk_voter_casts_one_ballot_into_the_box_with_channel_kiosk(w, station):
    code = desk(station)
    kiosk = kiosk_of(station)
    kiosk_voting.unlock(kiosk, code.lower().replace("-", " "))  # as typed: case, separators
    receipt = kiosk_voting.cast(kiosk, park(station.cycle))
    assert ballots(station.cycle) == 1
    assert kiosk_voting.held_unlock(kiosk) is None  # locked again
    assert ballot_box.projects_of_receipt(station.cycle, receipt_hash(receipt)) == set(
        park(station.cycle))
    with pytest.raises(DomainError):
        kiosk_voting.unlock(kiosk, code)  # one ballot per unlock


def test_the_unlock_code_is_stored_only_hashed(w, station):
    code = desk(station)
    stored = " ".join(db.session.scalars(select(KioskUnlock.code_hash)))
    assert code not in stored and code.replace("-", "") not in stored


def test_the_desk_records_the_voter_so_they_can_vote_neither_online_nor_on_paper(
        w, station):
    desk(station)
    cycle = station.cycle
    with pytest.raises(NotEligible):
        declare(w.users["alice"], cycle, BIRTH, identifier="NORD-1")
    with pytest.raises(DomainError, match="in person"):
        paper_voters.record_paper_voter(w.users["northclerk"], cycle, w.north,
                                        identifier="NORD-1", birth_date=BIRTH)
    with pytest.raises(DomainError, match="in person"):
        desk(station)


def test_someone_who_voted_online_gets_no_unlock(w, station):
    cycle = station.cycle
    declare(w.users["alice"], cycle, BIRTH, identifier="NORD-1")
    voting.cast(w.users["alice"], cycle, park(cycle))
    with pytest.raises(DomainError, match="online"):
        desk(station)
    assert db.session.scalar(select(func.count()).select_from(KioskUnlock)) == 0


def test_a_wrong_identity_at_the_desk_writes_nothing(w, station):
    with pytest.raises(DomainError) as refused:
        desk(station, birth=BIRTH + timedelta(days=1))
    assert refused.value.field == "identifier"
    assert db.session.scalar(select(func.count()).select_from(KioskUnlock)) == 0
    assert all(e.paper_voted_at is None for e in db.session.scalars(select(CensusEntry)))


def test_another_communes_staff_may_not_run_the_station(w, station):
    with pytest.raises(NotAllowed):
        kiosk_desk.issue_unlock(w.users["southclerk"], station, identifier="NORD-1",
                                birth_date=BIRTH)
    with pytest.raises(NotAllowed):
        kiosks.open_kiosk(w.users["southclerk"], station)
    kiosks.open_kiosk(w.users["staff"], station)  # the intercommunalité's staff: all


def test_stations_are_added_during_the_vote_with_a_name(w, census_cycle):
    with pytest.raises(DomainError) as refused:
        kiosks.add_station(w.users["northclerk"], census_cycle, w.north, "   ")
    assert refused.value.field == "name"
    kiosks.add_station(w.users["northclerk"], census_cycle, w.north, "École")
    with pytest.raises(DomainError, match="already"):
        kiosks.add_station(w.users["staff"], census_cycle, w.north, " École ")
    before = cycle_with(w, Proof.CENSUS, phase=factories.Phase.PROPOSALS)
    with pytest.raises(WrongPhase):
        kiosks.add_station(w.users["northclerk"], before, w.north, "École")


def test_an_idle_kiosk_locks_and_its_unlock_can_be_used_again(w, station):
    code = desk(station)
    first, second = kiosk_of(station), kiosk_of(station)
    kiosk_voting.unlock(first, code)
    with pytest.raises(DomainError, match="another kiosk"):
        kiosk_voting.unlock(second, code)
    unlock = db.session.scalar(select(KioskUnlock))
    unlock.held_until = utcnow() - timedelta(seconds=1)  # two minutes without a touch
    db.session.commit()
    with pytest.raises(KioskLocked):
        kiosk_voting.cast(first, park(station.cycle))
    with pytest.raises(KioskLocked):
        kiosk_voting.keep_awake(first)
    kiosk_voting.unlock(second, code)
    kiosk_voting.cast(second, park(station.cycle))
    assert ballots(station.cycle) == 1


def test_leaving_without_voting_frees_the_unlock_at_once(w, station):
    code = desk(station)
    kiosk = kiosk_of(station)
    kiosk_voting.unlock(kiosk, code)
    kiosk_voting.lock(kiosk)
    assert kiosk_voting.held_unlock(kiosk) is None
    kiosk_voting.unlock(kiosk_of(station), code)


def test_a_revoked_kiosk_is_refused_at_its_next_request(w, station):
    token = kiosks.open_kiosk(w.users["northclerk"], station)
    kiosk = kiosks.live_kiosk(token)
    code = desk(station)
    kiosk_voting.unlock(kiosk, code)
    kiosks.revoke_kiosk(w.users["northclerk"], station, kiosk.id)
    assert kiosks.live_kiosk(token) is None
    kiosk_voting.unlock(kiosk_of(station), code)  # the unlock it held is free


def test_an_invalid_ballot_is_refused_and_keeps_the_unlock(w, station):
    code = desk(station)
    kiosk = kiosk_of(station)
    kiosk_voting.unlock(kiosk, code)
    with pytest.raises(DomainError):
        kiosk_voting.cast(kiosk, [999_999])
    assert kiosk_voting.held_unlock(kiosk) is not None
    assert ballots(station.cycle) == 0


def test_an_expired_unlock_opens_nothing(w, station):
    code = desk(station)
    unlock = db.session.scalar(select(KioskUnlock))
    unlock.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(DomainError, match="opens no ballot"):
        kiosk_voting.unlock(kiosk_of(station), code)


def test_the_report_and_the_turnout_count_kiosk_ballots(w, station):
    kiosk = kiosk_of(station)
    for identifier in ("NORD-1", "NORD-2", "NORD-3"):
        birth = {"NORD-1": BIRTH, "NORD-2": helpers.date(1975, 6, 15),
                 "NORD-3": helpers.date(2000, 1, 1)}[identifier]
        code = desk(station, identifier, birth)
        if identifier != "NORD-3":
            kiosk_voting.unlock(kiosk, code)
            kiosk_voting.cast(kiosk, park(station.cycle))
    report = station_report.report(station)
    assert (report.issued, report.used, report.waiting, report.unused) == (3, 2, 1, 0)
    assert sum(h.ballots for h in report.hours) == 2
    assert [(line.kiosk.id, line.ballots) for line in report.kiosks] == [(kiosk.id, 2)]
    north = turnout.turnout(w.users["northclerk"], station.cycle).communes[0]
    assert north.kiosk.value is None  # 2 < SMALL_COUNT: "fewer than 5", as online
    assert ballots(station.cycle) == 2
    assert db.session.scalar(select(func.count()).select_from(InboxBallot)) == 0


def test_the_turnout_shows_five_kiosk_ballots(w, station, monkeypatch):
    monkeypatch.setattr(turnout, "SMALL_COUNT", 1)
    kiosk = kiosk_of(station)
    kiosk_voting.unlock(kiosk, desk(station))
    kiosk_voting.cast(kiosk, park(station.cycle))
    shown = turnout.turnout(w.users["staff"], station.cycle)
    assert [(row.commune.name, row.kiosk.value) for row in shown.communes] == [
        ("Nordville", 1), ("Sudville", 0)]
    assert shown.kiosk.value == 1


def test_an_access_code_cycle_checks_the_code_at_the_desk(w):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    letter = access_codes.generate_codes(w.users["northclerk"], cycle, w.north, 1)[0]
    station = kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie")
    code = kiosk_desk.issue_unlock(w.users["northclerk"], station, code=letter)
    kiosk = kiosk_of(station)
    kiosk_voting.unlock(kiosk, code)
    kiosk_voting.cast(kiosk, park(cycle))
    with pytest.raises(NotEligible):
        declare(w.users["alice"], cycle, code=letter)
    assert eligibility.find_access_code(cycle, letter).paper_voted_at is not None
