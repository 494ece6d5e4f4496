"""The read-only JSON API answers what its OpenAPI document says, and leaks nothing early."""
import re

import pytest
from jsonschema import Draft202012Validator

from budget.blueprints.api.openapi import OPENAPI
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.services import cycles, tally, voting
from tests import factories


def check(schema_name: str, document) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}",
              "components": OPENAPI["components"]}
    Draft202012Validator(schema).validate(document)


@pytest.fixture
def voting_cycle(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    factories.project(cycle, w.north, "Piscine", 9_000_000, w.users["bob"], Status.REJECTED)
    voting.cast(w.users["alice"], cycle, [park.id])
    return w, cycle


def test_cycles_and_proposals_follow_the_schema(browser, voting_cycle):
    w, cycle = voting_cycle
    listing = browser.get("/api/v1/cycles").get_json()
    check("CycleList", listing)
    check("Cycle", browser.get(f"/api/v1/cycles/{cycle.id}").get_json())
    proposals = browser.get(f"/api/v1/cycles/{cycle.id}/proposals").get_json()
    check("ProposalList", proposals)
    assert [p["title"] for p in proposals["proposals"]] == ["Parc"]  # the rejected one: no


def test_results_exist_only_once_published(browser, voting_cycle):
    w, cycle = voting_cycle
    url = f"/api/v1/cycles/{cycle.id}/results"
    assert browser.get(url).status_code == 404
    body = browser.get(f"/api/v1/cycles/{cycle.id}").get_data(as_text=True)
    assert "votes" not in body and "ballots" not in body
    staff = w.users["staff"]
    cycles.close_vote(staff, cycle)
    run = tally.run_tally(staff, cycle)
    assert browser.get(url).status_code == 404  # tallied but not published
    tally.publish(staff, cycle, run.id)
    results = browser.get(url).get_json()
    check("Results", results)
    assert results["fingerprint"] == run.fingerprint and results["ballots"] == 1


def test_unknown_cycle_is_a_json_404(browser, session):
    response = browser.get("/api/v1/cycles/999")
    assert response.status_code == 404 and response.get_json()["error"] == "not found"
    check("Error", response.get_json())


def test_every_api_route_is_described(app):
    described = {re.sub(r"\{(\w+)\}", r"<int:\1>", path) for path in OPENAPI["paths"]}
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and not rule.rule.endswith("openapi.json")}
    assert routes == described
