"""The open-data JSON: valid against its published schema, the stored numbers, no voter."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.exports.conftest import PROJECTS, WINNERS

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "opendata-schema-v1.json")
                    .read_text(encoding="utf-8"))


def validated(response) -> dict:
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    Draft202012Validator(SCHEMA).validate(document)
    return document


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_document_validates_and_matches_the_run(browser, published):
    document = validated(browser.get(f"/cycles/{published.cycle.id}/results.json"))
    run, w = published.run, published.world
    assert document["schema_version"] == "1.1" and document["status"] == "published"
    assert document["tally"]["fingerprint"] == run.fingerprint
    assert document["tally"]["rule"] == "greedy"
    assert document["territory"]["siren"] == "200000001"
    communes = {c["insee_code"]: c for c in document["territory"]["communes"]}
    assert communes["99001"]["ballots"] == 3 and communes["99002"]["ballots"] == 1
    assert communes["99001"]["turnout"] == 0.003
    assert document["totals"] == {"ballots": 4, "turnout": 0.001, "amount_eur": 60_000,
                                  "spent_eur": 55_000, "projects": len(PROJECTS),
                                  "winning_projects": len(WINNERS)}
    envelopes = {e["commune_insee_code"]: e for e in document["envelopes"]}
    assert envelopes[None]["kind"] == "intercommunal" and envelopes[None]["ballots"] == 2
    north = envelopes[w.north.insee_code]
    assert north["fingerprint"] == published.envelope(w.north)["fingerprint"]
    projects = {p["title"]: p for e in document["envelopes"] for p in e["projects"]}
    assert {key for key, (title, *_) in PROJECTS.items() if projects[title]["selected"]} \
        == WINNERS
    skipped = projects[PROJECTS["B"][0]]
    assert skipped["outcome"] == "did_not_fit" and skipped["remaining_before_eur"] == 1_000
    assert projects[PROJECTS["A"][0]] | {"id": 0} == {
        "id": 0, "external_id": None, "title": PROJECTS["A"][0], "cost_eur": 6_000, "votes": 3,
        "selected": True, "selection_rank": 1, "outcome": "funded", "remaining_before_eur": None}


def test_nothing_about_any_voter(browser, published):
    response = browser.get(f"/cycles/{published.cycle.id}/results.json")
    raw = response.get_data(as_text=True)
    for user in published.world.users.values():
        assert user.email not in raw and user.display_name not in raw

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)
        elif isinstance(node, list):
            for item in node:
                yield from keys(item)

    assert not {k for k in keys(response.get_json())
                if any(word in k for word in ("voter", "user", "email", "receipt"))}


@pytest.mark.parametrize("who", ["staff", "council"])
def test_preview_validates_too(make_browser, tallied, who):
    browser = make_browser()
    browser.login(f"{who}@example.fr")
    document = validated(browser.get(f"/cycles/{tallied.cycle.id}/results.json"))
    assert document["status"] == "preview" and document["tally"]["published_at"] is None
