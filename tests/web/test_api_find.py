"""The API's proposal list takes the public list's search, filters and sort (q, theme, commune,
status, sort), as its OpenAPI document says; each proposal carries its themes; a parameter that
cannot be read is a 400 naming it."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from budget.blueprints.api.openapi import OPENAPI
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Theme
from tests import factories


@pytest.fixture
def listed(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.REVIEW)
    mobility = Theme(cycle_id=cycle.id, name="Mobilité", icon="bicycle", description="Bouger")
    db.session.add(mobility)
    alice = w.users["alice"]
    bikes = factories.project(cycle, w.north, "Vélos en libre-service", 9_000, alice)
    bikes.themes = [mobility]
    factories.project(cycle, w.south, "Aire de jeux", 4_000, alice, Status.SUBMITTED)
    factories.project(cycle, None, "Navette", 50_000, alice)
    db.session.commit()
    return w, cycle, mobility


def titles(browser, cycle, query="") -> list[str]:
    response = browser.get(f"/api/v1/cycles/{cycle.id}/proposals{query}")
    assert response.status_code == 200, response.get_json()
    document = response.get_json()
    Draft202012Validator({"$ref": "#/components/schemas/ProposalList",
                          "components": OPENAPI["components"]}).validate(document)
    return [p["title"] for p in document["proposals"]]


def test_each_proposal_carries_its_themes(browser, listed):
    _w, cycle, mobility = listed
    document = browser.get(f"/api/v1/cycles/{cycle.id}/proposals?q=velo").get_json()
    [bikes] = document["proposals"]
    assert bikes["themes"] == [{"id": mobility.id, "name": "Mobilité", "description": "Bouger",
                                "icon": "bicycle"}]


def test_search_filters_and_sort(browser, listed):
    w, cycle, mobility = listed
    assert titles(browser, cycle, "?q=VELO") == ["Vélos en libre-service"]
    assert titles(browser, cycle, f"?theme={mobility.id}") == ["Vélos en libre-service"]
    assert titles(browser, cycle, f"?commune={w.south.id}&sort=cost_asc") == [
        "Aire de jeux", "Navette"]
    assert titles(browser, cycle, "?status=submitted") == ["Aire de jeux"]
    assert titles(browser, cycle, "?sort=cost_desc") == [
        "Navette", "Vélos en libre-service", "Aire de jeux"]
    assert titles(browser, cycle) == titles(browser, cycle, "?sort=random")  # one fixed order


@pytest.mark.parametrize("query, name", [
    ("?theme=424242", "theme"), ("?commune=nope", "commune"), ("?status=rejected", "status"),
    ("?sort=popular", "sort")])
def test_a_parameter_that_cannot_be_read_is_a_400_naming_it(browser, listed, query, name):
    _w, cycle, _ = listed
    response = browser.get(f"/api/v1/cycles/{cycle.id}/proposals{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad request"
    assert name in response.get_json()["message"]


def test_the_openapi_document_lists_the_parameters(browser):
    document = browser.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/cycles/{cycle_id}/proposals"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert names == {"q", "theme", "commune", "status", "sort"}
    assert "400" in operation["responses"]
    assert "themes" in document["components"]["schemas"]["Proposal"]["properties"]
