"""A proposal's optional location: typed (or filled in from the map), checked, shown on its
page and on the cycle's map; without a location the proposal is simply not on the map."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Proposal
from tests import factories
from tests.web.test_proposals import draft


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w):
    return factories.cycle(w, Phase.PROPOSALS)


def submit(browser, cycle, w, **changes):
    return browser.post(f"/cycles/{cycle.id}/proposals/new", draft(cycle, w.north, **changes))


def test_a_located_proposal_is_on_its_page_and_on_the_map(w, cycle, browser):
    browser.login("alice@example.fr")
    response = submit(browser, cycle, w, latitude="46.2012", longitude="-1.3791")
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.latitude, proposal.longitude) == (46.2012, -1.3791)
    page = browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'data-lat="46.2012" data-lon="-1.3791"' in page
    assert "vendor/leaflet/leaflet.js" in page
    map_page = browser.get(f"/cycles/{cycle.id}/map").get_data(as_text=True)
    assert 'data-lat="46.2012"' in map_page and "Un banc au port" in map_page


def test_without_a_location_the_proposal_is_counted_but_not_placed(w, cycle, browser):
    browser.login("alice@example.fr")
    assert submit(browser, cycle, w).status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.latitude is None and proposal.longitude is None
    map_page = browser.get(f"/cycles/{cycle.id}/map").get_data(as_text=True)
    assert "data-map-item" not in map_page
    assert "1 proposition n’a pas d’emplacement" in map_page


@pytest.mark.parametrize("coordinates, message", [
    ({"latitude": "46.2"}, "la latitude et la longitude"),
    ({"latitude": "91", "longitude": "2"}, "entre -90 et 90"),
    ({"latitude": "46", "longitude": "-181"}, "entre -180 et 180"),
    ({"latitude": "nord", "longitude": "2"}, "valeur décimale"),
])
def test_a_bad_location_is_refused_in_french_and_nothing_is_saved(w, cycle, browser,
                                                                   coordinates, message):
    browser.login("alice@example.fr")
    response = submit(browser, cycle, w, **coordinates)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page, re.findall(r"<li>[^<]*</li>", page)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_the_form_works_without_the_map(w, cycle, browser):
    browser.login("alice@example.fr")
    page = browser.get(f"/cycles/{cycle.id}/proposals/new").get_data(as_text=True)
    assert 'id="latitude"' in page and 'id="longitude"' in page
    assert "data-map-picker hidden" in page  # shown only once the script runs
