"""Every route that changes something refuses a request without a valid CSRF token, walked
from the URL map so that a new route is covered the day it is added."""
import re

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from tests import factories


def post_routes(app) -> list[str]:
    return sorted(rule.endpoint for rule in app.url_map.iter_rules()
                  if {"POST", "PUT", "PATCH", "DELETE"} & rule.methods)


def fill(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), rule)


# Checked by the request's origin instead of a token, so that pages stay the same for every
# anonymous visitor (tests/exports/test_shared_results.py tests the refusal).
BY_ORIGIN = {"public.set_language"}


def row_counts() -> dict:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_there_are_state_changing_routes_to_walk(app):
    assert len(post_routes(app)) >= 10


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_no_state_change_without_a_valid_token(app, browser, session, token):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    ids = {"cycle_id": cycle.id, "proposal_id": park.id, "envelope_id": cycle.envelopes[0].id,
           "code": "en"}
    browser.login("admin@example.fr")
    before = row_counts()
    for rule in app.url_map.iter_rules():
        if not {"POST", "PUT", "PATCH", "DELETE"} & rule.methods:
            continue
        if rule.endpoint in BY_ORIGIN:
            continue
        data = {"project": [park.id], "email": "x@example.fr", "password": "x" * 12,
                "status": "rejected", "rejection_reason": "non", "code": "AAAA",
                "title": "T", "description": "D", "estimated_cost": "10", "run_id": "1"}
        if token == "wrong":
            data["csrf_token"] = "forged"
        response = browser.post(fill(rule.rule, ids), data, csrf=False)
        assert response.status_code == 400, (rule.endpoint, response.status_code)
    assert row_counts() == before


TOKEN_IN_PAGE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_the_forms_of_pages_carry_a_token_that_is_accepted(browser, session):
    """The other tests make their token from the session (tests/conftest.py, Browser.token):
    here it is read from the forms of pages, a visitor's and a signed-in person's."""
    factories.world()
    client = browser.client
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": "alice@example.fr",
                                           "password": factories.PASSWORD,
                                           "csrf_token": TOKEN_IN_PAGE.search(page).group(1)})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)  # the sign-out form
    response = client.post("/logout", data={"csrf_token": TOKEN_IN_PAGE.search(page).group(1)})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # signed out: sent to the sign-in page
