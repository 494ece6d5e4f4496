import pytest

from budget.security import content_security_policy


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/nope", "/static/budget.css"])
def test_every_response_carries_the_security_headers(browser, url):
    headers = browser.get(url).headers
    assert headers["Content-Security-Policy"] == content_security_policy(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_are_not_cached_but_assets_are_cacheable(browser):
    assert browser.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in browser.get("/static/budget.css").headers.get("Cache-Control", "")


def test_no_inline_script_or_style_in_pages(browser, session):
    from tests import factories
    from budget.domain.phases import Phase

    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    browser.login("alice@example.fr")
    for url in ("/", f"/cycles/{cycle.id}/vote", "/login"):
        page = browser.get(url).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "<style" not in page


@pytest.mark.parametrize("tile_url, img_src", [
    ("https://tiles.example.fr/{z}/{x}/{y}.png", "img-src 'self' data: https://tiles.example.fr;"),
    ("", "img-src 'self' data:;"),
    (None, "img-src 'self' data:;"),
])
def test_images_come_from_the_app_and_only_the_tile_server(tile_url, img_src):
    assert img_src in content_security_policy(tile_url)
