"""The review page shows staff what residents see: the photos, the location, a link to the
public page, and, for a proposal that absorbed duplicates, which ones."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.services import images
from tests import factories
from tests.factories import project


@pytest.fixture
def w(session):
    return factories.world()


def test_the_review_page_shows_photos_location_and_the_public_link(app, browser, w, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    cycle = factories.cycle(w, Phase.PROPOSALS)
    proposal = project(cycle, w.north, "Jardin partagé", 4_000, w.users["alice"],
                       Status.SUBMITTED)
    proposal.latitude, proposal.longitude = 46.1878, -1.3275
    db.session.commit()
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(picture, "PNG")
    image = images.add_image(w.users["alice"], proposal, picture.getvalue(),
                             "Le terrain vu de la rue")
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/proposals/{proposal.id}/review").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}"' in page
    assert 'alt="Le terrain vu de la rue"' in page
    assert f"/proposals/{proposal.id}/photos/{image.token}/thumbnail" in page
    assert 'data-lat="46.1878"' in page and 'data-lon="-1.3275"' in page
    assert browser.get(f"/proposals/{proposal.id}/photos/{image.token}").status_code == 200


def test_a_proposal_without_photo_or_location_shows_neither(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = project(cycle, w.north, "Banc", 900, w.users["alice"], Status.SUBMITTED)
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/proposals/{proposal.id}/review").get_data(as_text=True)
    assert "data-map-item" not in page and 'class="photos"' not in page


def test_a_proposal_shows_the_duplicates_it_absorbed(make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    kept = project(cycle, w.north, "Piste cyclable", 50_000, w.users["alice"])
    twin = project(cycle, w.north, "Une piste à vélo", 40_000, w.users["staff"],
                   Status.SUBMITTED)
    twin.status, twin.merged_into_id = Status.MERGED, kept.id
    db.session.commit()
    staff = make_browser()
    staff.login("staff@example.fr")
    page = staff.get(f"/staff/proposals/{kept.id}/review").get_data(as_text=True)
    assert "Doublons fusionnés avec elle" in page
    assert f'href="/staff/proposals/{twin.id}/review"' in page and "Une piste à vélo" in page
    merged_page = staff.get(f"/staff/proposals/{twin.id}/review").get_data(as_text=True)
    assert f'href="/staff/proposals/{kept.id}/review"' in merged_page
    public = make_browser().get(f"/proposals/{kept.id}").get_data(as_text=True)
    assert "Une piste à vélo" in public and f'href="/proposals/{twin.id}"' in public
