"""The map of "Suivi des projets": the winners placed where their proposal said, with the
list's filters (commune, stage, theme); without JavaScript, the list under the map is the
page (the map element stays hidden until static/proposal-map.js shows it)."""
from __future__ import annotations

import pytest

from budget.domain.delivery import Stage, TrackingUpdate
from budget.extensions import db
from budget.services import tracking, tracking_read
from tests import factories
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def pub(session):
    pub = published_cycle(factories.world())
    pub.jardin.latitude, pub.jardin.longitude = 45.75, 4.85
    pub.preau.latitude, pub.preau.longitude = 45.70, 4.80
    db.session.flush()
    tracking.update(pub.w.users["southclerk"], tracking_read.of_proposal(pub.preau),
                    TrackingUpdate(stage=Stage.WORKS, progress=30, committed=0, spent=0,
                                   planned_delivery=None, delivered_on=None,
                                   abandon_reason="", service="", delivered_by_commune=True))
    return pub


def test_the_map_places_the_winners_with_a_location_and_lists_them(pub, browser):
    page = browser.get(f"/cycles/{pub.cycle.id}/tracking/map").get_data(as_text=True)
    assert "Carte du suivi des projets" in page
    assert 'data-proposals-map hidden' in page, "shown only once the script runs"
    assert "leaflet.js" in page and "proposal-map.js" in page
    assert page.count("data-map-item") == 2
    assert 'data-lat="45.75"' in page and "Jardin partagé" in page and "Préau" in page
    assert "1 projet n’a pas de localisation" in page, "the intercommunal project has none"


def test_the_map_keeps_the_lists_filters_and_links_back_with_them(pub, browser):
    url = f"/cycles/{pub.cycle.id}/tracking/map?stage=works"
    page = browser.get(url).get_data(as_text=True)
    assert page.count("data-map-item") == 1 and "Préau" in page
    assert f'href="/cycles/{pub.cycle.id}/tracking?stage=works"' in page
    page = browser.get(f"/cycles/{pub.cycle.id}/tracking/map?commune={pub.w.north.id}"
                       ).get_data(as_text=True)
    assert page.count("data-map-item") == 1 and "Jardin partagé" in page
    listing = browser.get(f"/cycles/{pub.cycle.id}/tracking?commune={pub.w.north.id}"
                          ).get_data(as_text=True)
    assert f'href="/cycles/{pub.cycle.id}/tracking/map?commune={pub.w.north.id}"' in listing
    nothing = browser.get(f"/cycles/{pub.cycle.id}/tracking/map?stage=delivered"
                          ).get_data(as_text=True)
    assert "data-map-item" not in nothing and "Aucun projet ne correspond" in nothing


def test_the_map_of_a_cycle_not_yet_published_is_not_found(browser, session):
    from budget.domain.phases import Phase
    cycle = factories.cycle(factories.world(), Phase.VOTE)
    assert browser.get(f"/cycles/{cycle.id}/tracking/map").status_code == 404
