"""Results day from storage (results/shared_pages.py): the published results page is rendered
once per language and council decision for anonymous visitors, then served as stored with a
strong ETag and `Cache-Control: public`; a signed-in person's page is theirs alone, never
stored, never shared; the exports are public too, with a 304 on If-None-Match."""
from __future__ import annotations

import pytest

import budget.blueprints.results.views as views
from budget.domain.adoption import Outcome
from budget.models.time import to_local, utcnow
from budget.services import adoption
from tests import factories
from tests.conftest import someone
from tests.exports.conftest import EN

NAME = "zephyrine.quatremains"  # her display name: the local part of her address


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    return tmp_path / "exports"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The template of each results page rendered, as it is rendered."""
    rendered = []
    render = views.render_template

    def counted(template, **context):
        rendered.append(template)
        return render(template, **context)
    monkeypatch.setattr(views, "render_template", counted)
    return rendered


def results_url(voted) -> str:
    return f"/cycles/{voted.cycle.id}/results"


def test_the_anonymous_results_page_is_rendered_once_then_served_as_stored(
        make_browser, w, published, store, renders):
    first = someone(make_browser, w, None).get(results_url(published))
    second = someone(make_browser, w, None).get(results_url(published))
    assert first.status_code == second.status_code == 200
    assert renders == ["results/results.html"]
    assert second.data == first.data and b"Navette" in first.data
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] == second.headers["ETag"]
    assert {"Cookie", "Accept-Language"} <= set(first.headers["Vary"].replace(" ", "").split(","))
    assert "Set-Cookie" not in first.headers
    assert len([p for p in store.rglob("*.html")]) == 1


def test_a_request_naming_the_page_s_etag_gets_a_304_without_a_body(browser, published, store):
    first = browser.get(results_url(published))
    again = browser.get(results_url(published), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = browser.get(results_url(published), headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_a_signed_in_person_s_name_never_reaches_an_anonymous_visitor(
        make_browser, w, published, store):
    factories.user(f"{NAME}@example.fr", w.north)
    alice = someone(make_browser, w, NAME)
    before = someone(make_browser, w, None).get(results_url(published))
    hers = alice.get(results_url(published))
    after = someone(make_browser, w, None).get(results_url(published))
    assert NAME in hers.get_data(as_text=True)
    assert hers.headers["Cache-Control"] == "no-store" and "ETag" not in hers.headers
    for page in (before, after):
        assert NAME not in page.get_data(as_text=True)
        assert "Se déconnecter" not in page.get_data(as_text=True)
    assert after.data == before.data
    for path in store.rglob("*.html"):
        assert NAME not in path.read_text(encoding="utf-8")


def test_a_signed_in_person_first_stores_nothing(make_browser, w, published, store):
    factories.user(f"{NAME}@example.fr", w.north)
    assert NAME in someone(make_browser, w, NAME).get(results_url(published)).get_data(
        as_text=True)
    assert list(store.rglob("*.html")) == []
    visitor = someone(make_browser, w, None).get(results_url(published))
    assert NAME not in visitor.get_data(as_text=True)


def test_each_language_has_its_own_stored_page(browser, published, store):
    french = browser.get(results_url(published))
    english = browser.get(results_url(published), headers=EN)
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert french.headers["ETag"] != english.headers["ETag"]
    assert browser.get(results_url(published)).data == french.data
    assert len(list(store.rglob("*.html"))) == 2


def test_a_council_decision_recorded_later_shows_on_the_stored_page(
        browser, published, store):
    before = browser.get(results_url(published))
    assert "2027-912" not in before.get_data(as_text=True)
    adoption.record_adoption(published.world.users["staff"], published.cycle,
                             adoption.AdoptionDraft(None, to_local(utcnow()).date(), "2027-912",
                                                    Outcome.ADOPTED))
    after = browser.get(results_url(published))
    assert "2027-912" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    stale = browser.get(results_url(published), headers={"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200


def test_a_preview_is_rendered_each_time_and_never_shared(make_browser, w, tallied, store,
                                                          renders):
    staff = someone(make_browser, w, "staff")
    for _ in range(2):
        page = staff.get(results_url(tallied))
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert renders == ["results/results.html"] * 2
    assert list(store.rglob("*")) == []


def test_a_page_with_a_query_string_is_rendered_for_its_request(browser, published, store,
                                                                renders):
    page = browser.get(results_url(published) + "?x=1")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert list(store.rglob("*.html")) == []


@pytest.mark.parametrize("suffix", ["results.csv", "results.pdf", "results.json",
                                    "results-pabulib.zip", "deliberation-annex.xlsx"])
def test_an_export_named_by_its_etag_gets_a_304(browser, published, store, suffix):
    url = f"/cycles/{published.cycle.id}/{suffix}"
    first = browser.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=300"
    again = browser.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_language_switch_needs_no_token_but_refuses_another_site(browser, published):
    switched = browser.post("/language/en", {"next": "/"}, csrf=False)
    assert switched.status_code == 302
    assert '<html lang="en">' in browser.get("/").get_data(as_text=True)
    for header in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = browser.post("/language/fr", {"next": "/"}, csrf=False, headers=header)
        assert refused.status_code == 403
        assert '<html lang="en">' in browser.get("/").get_data(as_text=True)
    same_site = browser.post("/language/fr", {"next": "/"}, csrf=False,
                             headers={"Origin": "http://localhost"})
    assert same_site.status_code == 302
    assert '<html lang="fr">' in browser.get("/").get_data(as_text=True)
