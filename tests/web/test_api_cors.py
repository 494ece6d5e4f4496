"""A newsroom's page on another site may read the public API (CORS `*`), and nothing else: no
other route, and no method but reading, carries the header."""
from budget.domain.phases import Phase
from tests import factories

ORIGIN = {"Origin": "https://journal.example.org"}
CORS = "Access-Control-Allow-Origin"


def test_the_public_api_may_be_read_from_any_site(app, browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    for url in ("/api/v1/cycles", f"/api/v1/cycles/{cycle.id}",
                f"/api/v1/cycles/{cycle.id}/proposals", "/api/v1/openapi.json",
                "/api/v1/cycles/999999"):
        response = browser.get(url, headers=ORIGIN)
        assert response.headers.get(CORS) == "*", url
        assert "Access-Control-Allow-Credentials" not in response.headers
    assert browser.client.head("/api/v1/cycles", headers=ORIGIN).headers.get(CORS) == "*"


def test_no_other_route_nor_method_gets_the_header(app, browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    assert CORS not in browser.client.post("/api/v1/cycles", headers=ORIGIN).headers
    assert CORS not in browser.client.options("/api/v1/cycles", headers={
        **ORIGIN, "Access-Control-Request-Method": "POST"}).headers
    login = browser.post("/login", {"email": "staff@example.fr",
                                    "password": "correct horse battery"}, headers=ORIGIN)
    assert CORS not in login.headers
    browser.login("staff@example.fr")
    for url in ("/", f"/cycles/{cycle.id}", "/account", "/staff/", "/login"):
        assert CORS not in browser.get(url, headers=ORIGIN).headers, url
