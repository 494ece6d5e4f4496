"""Every error of the API is JSON (a stable code and a French sentence, English on request),
readable from any site like the rest of the API; its proposals carry their location and
photos (with their text alternative and licence)."""
import io

import pytest
from PIL import Image
from werkzeug.exceptions import TooManyRequests

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.services import images
from tests import factories
from tests.web.test_api import check

ORIGIN = {"Origin": "https://journal.example.org"}


@pytest.mark.parametrize("url", [
    "/api/v1/cycles/999999", "/api/v1/cycles/abc", "/api/v1/cycles/1/nothing",
    "/api/v1/nothing", "/api/v1/cycles/99999999999999999999/proposals"])
def test_an_unknown_address_is_a_json_404_in_french(browser, session, url):
    response = browser.get(url, headers=ORIGIN)
    assert response.status_code == 404 and response.mimetype == "application/json"
    body = response.get_json()
    check("Error", body)
    assert body["error"] == "not found" and "aucun cycle" in body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_message_is_in_english_when_asked(browser, session):
    body = browser.get("/api/v1/cycles/999999", headers={"Accept-Language": "en"}).get_json()
    assert body["error"] == "not found" and "no such cycle" in body["message"]


def test_a_write_is_a_json_405(browser, session):
    response = browser.client.post("/api/v1/cycles")
    assert response.status_code == 405 and response.get_json()["error"] == "method not allowed"
    assert "lecture seule" in response.get_json()["message"]


def test_a_crash_is_a_json_500_without_details(app, browser, session, monkeypatch):
    def broken():
        raise RuntimeError("secret detail")

    monkeypatch.setattr("budget.services.cycles.all_cycles", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = browser.get("/api/v1/cycles")
    assert response.status_code == 500 and response.get_json()["error"] == "internal error"
    assert "secret" not in response.get_data(as_text=True)


def test_pages_outside_the_api_keep_their_html_error_page(browser, session):
    response = browser.get("/cycles/999999")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_too_many_requests_is_json_with_retry_after(app, session):
    with app.test_request_context("/api/v1/cycles"):
        response = app.make_response(app.handle_user_exception(TooManyRequests()))
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert response.get_json()["error"] == "too many requests"


def test_proposals_carry_their_location_and_photos(app, browser, session, tmp_path,
                                                   monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    w = factories.world()
    cycle = factories.cycle(w, Phase.PROPOSALS)
    placed = factories.project(cycle, w.north, "Banc", 2_000, w.users["alice"],
                               Status.SUBMITTED)
    placed.latitude, placed.longitude = 46.2036, -1.3676
    factories.project(cycle, w.south, "Halle", 9_000, w.users["bob"], Status.SUBMITTED)
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(picture, "PNG")
    images.add_image(w.users["alice"], placed, picture.getvalue(), "Le banc face au port")
    body = browser.get(f"/api/v1/cycles/{cycle.id}/proposals").get_json()
    check("ProposalList", body)
    by_title = {p["title"]: p for p in body["proposals"]}
    assert by_title["Banc"]["location"] == {"latitude": 46.2036, "longitude": -1.3676}
    assert by_title["Halle"]["location"] is None and by_title["Halle"]["photos"] == []
    [photo] = by_title["Banc"]["photos"]
    assert photo["alt_text"] == "Le banc face au port" and photo["licence"]["id"] == "etalab-2.0"
    assert (photo["width"], photo["height"]) == (64, 48)
    for key in ("url", "thumbnail_url"):
        served = browser.get(photo[key])
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
