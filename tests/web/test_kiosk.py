"""The kiosk through the web: staff open it on a device, the desk hands out a code, the voter
votes on the kiosk's own screens, and the kiosk locks itself again."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from budget.extensions import db
from budget.models import Ballot, InboxBallot, KioskUnlock
from budget.models.time import utcnow
from budget.services import kiosks, tally
from tests import factories
from tests.services import eligibility_helpers as helpers
from tests.services.eligibility_helpers import BIRTH, park


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def station(w):
    cycle = helpers.census_cycle(w)
    return kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie annexe")


def station_url(station, tail=""):
    return f"/staff/cycles/{station.cycle_id}/stations/{station.id}{tail}"


def open_kiosk(make_browser, station):
    """A device on which Nordville's clerk signed in, then made it a kiosk."""
    device = make_browser()
    device.login("northclerk@example.fr")
    response = device.post(station_url(station, "/open"))
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk"
    return device


def unlock_code(make_browser, station, identifier="NORD-1", birth=BIRTH) -> str:
    desk = make_browser()
    desk.login("northclerk@example.fr")
    page = desk.post(station_url(station, "/desk"), {
        "identifier": identifier, "birth_date": birth.isoformat()})
    assert page.status_code == 200, page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "<svg" in text  # its QR code
    return re.search(r"data-unlock-code>([^<]+)<", text).group(1)


def kiosk_ballots(channel="kiosk") -> int:
    return sum(db.session.scalar(select(func.count()).select_from(model).where(
        model.channel == channel)) for model in (Ballot, InboxBallot))


def test_opening_a_kiosk_signs_staff_out_and_sets_the_kiosks_own_cookie(make_browser,
                                                                        station):
    device = open_kiosk(make_browser, station)
    assert device.get(station_url(station)).status_code == 302  # to /login: signed out
    cookie = device.client.get_cookie("budget_kiosk", path="/kiosk")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    screen = device.get("/kiosk")
    page = screen.get_data(as_text=True)
    assert screen.status_code == 200 and "Mairie annexe" in page
    # Nothing else of the platform: no navigation, no account, no link at all.
    assert "<nav" not in page and "/login" not in page and "<a " not in page


def test_a_device_that_is_not_a_kiosk_is_refused(browser, station):
    assert browser.get("/kiosk").status_code == 403
    assert browser.get("/kiosk/ballot").status_code == 403
    browser.client.set_cookie("budget_kiosk", "forged", path="/kiosk")
    assert browser.get("/kiosk").status_code == 403


def test_a_voter_votes_at_the_kiosk_and_it_locks_again(make_browser, station):
    device = open_kiosk(make_browser, station)
    code = unlock_code(make_browser, station)
    assert device.post("/kiosk/unlock", {"code": code}).headers["Location"] == "/kiosk/ballot"
    ballot = device.get("/kiosk/ballot").get_data(as_text=True)
    assert "Parc" in ballot and 'action="/kiosk/review"' in ballot
    assert "/proposals/" not in ballot  # no link out of the kiosk
    chosen = {"project": park(station.cycle)}
    review = device.post("/kiosk/review", chosen).get_data(as_text=True)
    assert 'action="/kiosk/confirm"' in review and "print_receipt" in review
    voted = device.post("/kiosk/confirm", chosen)
    page = voted.get_data(as_text=True)
    assert voted.status_code == 200 and "A voté" in page
    assert "data-print-slip" not in page  # no slip asked for: no code anywhere
    assert voted.headers["Cache-Control"] == "no-store"
    assert kiosk_ballots() == 1
    assert device.get("/kiosk/ballot").headers["Location"] == "/kiosk"  # locked
    again = device.post("/kiosk/confirm", chosen)
    assert again.status_code == 302 and kiosk_ballots() == 1


def test_the_receipt_code_is_on_the_printed_slip_only(make_browser, station):
    device = open_kiosk(make_browser, station)
    device.post("/kiosk/unlock", {"code": unlock_code(make_browser, station)})
    page = device.post("/kiosk/confirm", {"project": park(station.cycle),
                                          "print_receipt": "y"}).get_data(as_text=True)
    slip = page[page.index("data-print-slip"):]
    assert re.search(r"<strong>[A-Z0-9-]{8,}</strong>", slip)
    assert "<strong>" not in page[:page.index("data-print-slip")]


def test_a_wrong_code_is_refused_in_french_and_the_kiosk_stays_locked(make_browser, station):
    device = open_kiosk(make_browser, station)
    refused = device.post("/kiosk/unlock", {"code": "AAA-AAA"})
    assert refused.status_code == 422
    assert "Ce code n’ouvre aucun bulletin" in refused.get_data(as_text=True)
    assert device.get("/kiosk/ballot").headers["Location"] == "/kiosk"


def test_an_idle_kiosk_discards_the_ballot_and_the_unlock_serves_again(make_browser, station):
    device = open_kiosk(make_browser, station)
    code = unlock_code(make_browser, station)
    device.post("/kiosk/unlock", {"code": code})
    unlock = db.session.scalar(select(KioskUnlock))
    unlock.held_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert device.post("/kiosk/confirm", {"project": park(station.cycle)}).headers[
        "Location"] == "/kiosk"
    assert kiosk_ballots() == 0
    assert device.post("/kiosk/unlock", {"code": code}).status_code == 302


def test_leaving_locks_the_kiosk(make_browser, station):
    device = open_kiosk(make_browser, station)
    device.post("/kiosk/unlock", {"code": unlock_code(make_browser, station)})
    assert device.post("/kiosk/awake").status_code == 204
    assert device.post("/kiosk/lock").headers["Location"] == "/kiosk"
    assert device.post("/kiosk/awake").status_code == 409


def test_revoking_a_kiosk_takes_effect_at_its_next_request(make_browser, station):
    device = open_kiosk(make_browser, station)
    assert device.get("/kiosk").status_code == 200
    staff = make_browser()
    staff.login("staff@example.fr")
    kiosk_id = station.kiosks[0].id
    assert staff.post(station_url(station, "/revoke"), {"kiosk": kiosk_id}).status_code == 302
    assert device.get("/kiosk").status_code == 403


def test_the_station_pages_and_report_render(make_browser, station):
    device = open_kiosk(make_browser, station)
    device.post("/kiosk/unlock", {"code": unlock_code(make_browser, station)})
    device.post("/kiosk/confirm", {"project": park(station.cycle)})
    staff = make_browser()
    staff.login("northclerk@example.fr")
    stations = staff.get(f"/staff/cycles/{station.cycle_id}/stations").get_data(as_text=True)
    assert "Mairie annexe" in stations
    assert "Borne n°\u00a0" in staff.get(station_url(station)).get_data(as_text=True)
    report = staff.get(station_url(station, "/report")).get_data(as_text=True)
    assert "Rapport du bureau" in report
    other = make_browser()
    other.login("southclerk@example.fr")
    assert other.get(station_url(station, "/report")).status_code == 403


def vote_at_the_kiosk(make_browser, station, identifier="NORD-1"):
    device = open_kiosk(make_browser, station)
    device.post("/kiosk/unlock", {"code": unlock_code(make_browser, station, identifier)})
    assert "A voté" in device.post("/kiosk/confirm", {"project": park(station.cycle)}) \
        .get_data(as_text=True)


def test_after_a_kiosk_vote_the_identity_is_refused_online_as_voted_in_person(make_browser,
                                                                            station):
    vote_at_the_kiosk(make_browser, station)
    alice = make_browser()
    alice.login("alice@example.fr")
    refused = alice.post(f"/cycles/{station.cycle_id}/vote/eligibility", {
        "identifier": "NORD-1", "birth_date": BIRTH.isoformat()},
        headers={"Accept-Language": "fr"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Un vote en personne (dans un bureau de vote, sur papier ou sur une borne)" in page
    assert "papier a été enregistré" not in page


def test_an_account_that_declared_before_its_kiosk_vote_cannot_vote_online(make_browser,
                                                                          station):
    alice = make_browser()
    alice.login("alice@example.fr")
    assert alice.post(f"/cycles/{station.cycle_id}/vote/eligibility", {
        "identifier": "NORD-1", "birth_date": BIRTH.isoformat()}).status_code == 302
    vote_at_the_kiosk(make_browser, station)
    page = alice.get(f"/cycles/{station.cycle_id}/vote", headers={"Accept-Language": "en"})
    assert page.status_code == 403
    assert "A vote in person (at a polling station, on paper or at a kiosk)" in \
        page.get_data(as_text=True)
    assert alice.post(f"/cycles/{station.cycle_id}/vote/confirm",
                      {"project": park(station.cycle)}).status_code in (302, 403)
    assert kiosk_ballots() == 1
    assert kiosk_ballots("online") == 0


def test_published_results_and_exports_give_each_communes_ballots_by_channel(make_browser, w,
                                                                           station):
    """Counts only: online, at a kiosk and on paper per commune, never which station nor when
    (the station's report, for staff, has the hours)."""
    cycle = station.cycle
    vote_at_the_kiosk(make_browser, station, "NORD-1")
    alice = make_browser()
    alice.login("alice@example.fr")
    alice.post(f"/cycles/{cycle.id}/vote/eligibility",
               {"identifier": "NORD-2", "birth_date": "1975-06-15"})
    assert alice.post(f"/cycles/{cycle.id}/vote/confirm",
                      {"project": park(cycle)}).status_code == 200
    staff = make_browser()
    staff.login("staff@example.fr")
    staff.post(f"/staff/cycles/{cycle.id}/close")
    run = tally.run_tally(w.users["staff"], cycle)
    tally.publish(w.users["staff"], cycle, run.id)
    page = staff.get(f"/cycles/{cycle.id}/results", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Of which at a kiosk" in text and "Of which online" in text
    north = text[text.index('<th scope="row">Nordville</th>'):]
    cells = re.findall(r'<td class="num">([^<]*)</td>', north[:north.index("</tr>")])
    assert cells[:4] == ["2", cells[1], "1", "1"]  # ballots, turnout, online, kiosk
    data = staff.get(f"/cycles/{cycle.id}/results.json").get_json()
    nordville = next(c for c in data["territory"]["communes"] if c["name"] == "Nordville")
    assert (nordville["ballots"], nordville["online_ballots"], nordville["kiosk_ballots"],
            nordville["paper_ballots"]) == (2, 1, 1, 0)
    sheet = load_workbook(io.BytesIO(staff.get(f"/cycles/{cycle.id}/results.xlsx").data))
    rows = [[cell.value for cell in row] for ws in sheet for row in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if "At a kiosk" in r or "À une borne" in r)
    line = next(r for r in rows[at:] if r[0] == "Nordville")
    kiosk_column = next(i for i, h in enumerate(rows[at]) if h in ("At a kiosk", "À une borne"))
    assert line[kiosk_column] == 1 and line[kiosk_column - 1] == 1  # and online
    assert staff.get(f"/cycles/{cycle.id}/results.pdf").status_code == 200
    assert staff.get(f"/cycles/{cycle.id}/deliberation-annex.xlsx").status_code == 200
    # The Éditions page, across the territory's editions: a kiosk column, not counted online.
    editions = staff.get(f"/intercommunalities/{w.epci.id}/editions",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 online, 1 at a kiosk, 0 on paper" in editions
    assert '<th scope="col" class="num">At a kiosk</th>' in editions
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", editions, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[:3] == ["1", "1", "0"]


def test_an_error_on_a_kiosk_shows_the_kiosks_page_not_the_platforms(make_browser, station,
                                                                    monkeypatch):
    """A kiosk is a shared device in a town hall: its error pages (here SQLite's "database is
    locked" when locking it, and an unknown address) keep the kiosk's layout, with no link to
    sign in or to the platform, and lead back to the lock screen."""
    from sqlalchemy.exc import OperationalError

    from budget.services import kiosk_voting

    device = open_kiosk(make_browser, station)

    def locked(kiosk):
        raise OperationalError("UPDATE kiosk_unlocks", {}, Exception("database is locked"))

    monkeypatch.setattr(kiosk_voting, "lock", locked)
    for response, status in ((device.post("/kiosk/lock"), 503),
                             (device.get("/kiosk/nowhere"), 404)):
        page = response.get_data(as_text=True)
        assert response.status_code == status
        assert 'class="kiosk-page"' in page and 'href="/kiosk"' in page
        assert "/login" not in page and "/register" not in page
