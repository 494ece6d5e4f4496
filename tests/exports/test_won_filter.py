"""The status filter's "won": once a cycle's results are published, its list and its API
offer the winners of the published tally run (tests/exports/conftest.py's vote: A, C, D, N, V
and H funded); before, "won" is not offered and the API answers 400."""
from __future__ import annotations

import re

from jsonschema import Draft202012Validator

from budget.blueprints.api.openapi import OPENAPI
from budget.services import finding
from budget.services.reading import PUBLIC_PROPOSALS
from tests.exports.conftest import PROJECTS, WINNERS

EN = {"Accept-Language": "en"}


def listed(browser, cycle, query) -> set[str]:
    response = browser.get(f"/api/v1/cycles/{cycle.id}/proposals{query}")
    assert response.status_code == 200, response.get_json()
    Draft202012Validator({"$ref": "#/components/schemas/ProposalList",
                          "components": OPENAPI["components"]}).validate(response.get_json())
    return {p["title"] for p in response.get_json()["proposals"]}


def test_won_lists_the_published_runs_winners_in_the_api(browser, published):
    cycle = published.cycle
    assert listed(browser, cycle, "?status=won") == {PROJECTS[k][0] for k in WINNERS}
    assert listed(browser, cycle, "?status=won&commune=" + str(published.world.south.id)) \
        == {PROJECTS[k][0] for k in WINNERS if PROJECTS[k][1] in ("south", None)}
    assert listed(browser, cycle, "?status=on_ballot") == {t for t, *_ in PROJECTS.values()}


def test_the_public_list_offers_won_and_shows_only_the_winners(browser, published):
    html = browser.get(f"/cycles/{published.cycle.id}?status=won", headers=EN).text
    assert re.search(r'<option value="won"\s+selected>Won</option>', html)
    assert "Navette électrique" in html and "Piste cyclable côtière" not in html


def test_before_the_publication_won_is_neither_offered_nor_read(browser, tallied):
    cycle = tallied.cycle
    assert finding.winner_ids(cycle) == set()
    assert "won" not in finding.status_choices(cycle, tuple(PUBLIC_PROPOSALS[cycle.phase()]))
    response = browser.get(f"/api/v1/cycles/{cycle.id}/proposals?status=won")
    assert response.status_code == 400 and "status" in response.get_json()["message"]
    assert 'value="won"' not in browser.get(f"/cycles/{cycle.id}", headers=EN).text


def test_the_openapi_document_names_won():
    listing = OPENAPI["paths"]["/api/v1/cycles/{cycle_id}/proposals"]["get"]
    [status] = [p for p in listing["parameters"] if p["name"] == "status"]
    assert "won" in status["schema"]["enum"] and "won" in status["description"]
