"""What staff send about polling stations (new stations, the desk, opening and revoking
kiosks) and what a kiosk sends (its unlock code, the ballot, its review, locking)."""
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from budget.extensions import db
from budget.models.time import utcnow
from budget.services import kiosk_desk, kiosk_voting, kiosks
from tests import factories
from tests.properties.conftest import FormBrowser, anything_or, check, form, path_id

ROUTES = {"/staff/cycles/<int:cycle_id>/stations",
          "/staff/cycles/<int:cycle_id>/stations/<int:station_id>/desk",
          "/staff/cycles/<int:cycle_id>/stations/<int:station_id>/open",
          "/staff/cycles/<int:cycle_id>/stations/<int:station_id>/revoke",
          "/kiosk/unlock", "/kiosk/review", "/kiosk/confirm", "/kiosk/lock", "/kiosk/awake"}
STAFF = st.sampled_from(["staff", "northclerk"])


@pytest.fixture
def kiosk_scene(staff_scene, make_browser):
    """A station of the census cycle, and a device made its kiosk, unlocked for a voter (held
    long enough for the whole test), plus a spare unlock code."""
    s = staff_scene
    clerk = s.s.w.users["northclerk"]
    park = factories.project(s.checked, s.s.w.north, "Parc", 5_000, s.s.w.users["bob"])
    station = kiosks.add_station(clerk, s.checked, s.s.w.north, "Mairie")
    device = FormBrowser(make_browser().client)
    device.login("staff@example.fr")
    assert device.send(f"/staff/cycles/{s.checked.id}/stations/{station.id}/open",
                       {}).status_code == 302
    device._token = None  # signed out: a new session, a new token
    kiosk = station.kiosks[0]
    kiosk_voting.unlock(kiosk, kiosk_desk.issue_unlock(clerk, station, identifier="LISTE-1",
                                                       birth_date=date(1980, 3, 2)))
    spare = kiosk_desk.issue_unlock(clerk, station, identifier="LISTE-2",
                                    birth_date=date(1975, 6, 15))
    held = kiosk_voting.held_unlock(kiosk)
    held.held_until = utcnow() + timedelta(days=1)
    db.session.commit()
    return s, station, device, spare, park.id


@given(data=st.data())
def test_new_station(kiosk_scene, session, data):
    s, station, _device, _spare, _park = kiosk_scene
    cycle_id = data.draw(path_id(s.checked.id, s.coded.id, s.s.proposals.id))
    sent = data.draw(form(commune=anything_or(s.s.w.north.id, s.s.w.south.id,
                                              s.s.w.elsewhere.id),
                          name=anything_or("École Jules-Ferry", "Mairie", " ", "x" * 121)))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{cycle_id}/stations", sent))


@given(data=st.data())
def test_desk_open_and_revoke(kiosk_scene, session, data):
    s, station, _device, _spare, _park = kiosk_scene
    station_id = data.draw(path_id(station.id))
    action = data.draw(st.sampled_from(["desk", "open", "revoke"]))
    sent = data.draw(form(identifier=anything_or("LISTE-1", "LISTE-2", "NORD-9"),
                          birth_date=anything_or("1980-03-02", "1975-06-15", "1980-02-30"),
                          code=anything_or("AAAA-BBBB-CCCC"),
                          kiosk=anything_or(*[k.id for k in station.kiosks], 0)))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{s.checked.id}/stations/{station_id}/{action}", sent))


@given(data=st.data())
def test_kiosk_screens(kiosk_scene, session, data):
    s, _station, device, spare, park = kiosk_scene
    who = data.draw(st.sampled_from([device, device, device, s.browsers[None]]))
    action = data.draw(st.sampled_from(["unlock", "review", "confirm", "lock", "awake"]))
    sent = data.draw(form(code=anything_or(spare, spare.lower(), "AAA-AAA"),
                          project=st.lists(anything_or(park, 999_999), max_size=3),
                          print_receipt=anything_or("y"), change=anything_or("1")))
    check(session, lambda: who.send(f"/kiosk/{action}", sent))
