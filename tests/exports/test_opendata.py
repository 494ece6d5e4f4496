"""The open-data JSON: valid against its published schema, the stored numbers, no voter."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from budget.domain.delivery import Stage, TrackingUpdate
from budget.extensions import db
from budget.models import Proposal, ProposalSupport, Theme
from budget.services import tracking, tracking_read
from tests import factories
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
    assert document["schema_version"] == "1.4" and document["status"] == "published"
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
        "selected": True, "selection_rank": 1, "outcome": "funded", "remaining_before_eur": None,
        "themes": [], "supports": None}


def test_each_project_carries_its_themes_and_its_support_count_never_its_supporters(
        browser, published, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    cycle, w, ids = published.cycle, published.world, published.ids
    cycle.supports_start = cycle.proposals_start + (cycle.review_start - cycle.proposals_start) / 2
    mobility = Theme(cycle_id=cycle.id, name="Mobilité", icon="bicycle", description="")
    play = Theme(cycle_id=cycle.id, name="Jeux", icon="people", description="")
    db.session.add_all([mobility, play])
    db.session.get(Proposal, ids["V"]).themes = [mobility, play]
    supporters = [factories.user(f"soutien{n}@example.fr", w.north) for n in range(3)]
    db.session.add_all([ProposalSupport(proposal_id=ids["V"], user_id=s.id) for s in supporters]
                       + [ProposalSupport(proposal_id=ids["A"], user_id=supporters[0].id)])
    db.session.commit()
    response = browser.get(f"/cycles/{cycle.id}/results.json")
    document = validated(response)
    projects = {p["id"]: p for e in document["envelopes"] for p in e["projects"]}
    assert projects[ids["V"]]["themes"] == [{"id": play.id, "name": "Jeux"},
                                            {"id": mobility.id, "name": "Mobilité"}]
    assert projects[ids["V"]]["supports"] == 3 and projects[ids["A"]]["supports"] == 1
    assert projects[ids["H"]]["supports"] == 0
    assert projects[ids["H"]]["themes"] == []
    raw = response.get_data(as_text=True)
    assert not any(s.email in raw or s.display_name in raw for s in supporters)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
def test_an_older_document_without_themes_nor_supports_stays_valid(browser, published,
                                                                   version):
    document = validated(browser.get(f"/cycles/{published.cycle.id}/results.json"))
    document["schema_version"] = version
    for commune in document["territory"]["communes"]:
        del commune["online_ballots"], commune["kiosk_ballots"]
    for envelope in document["envelopes"]:
        for project in envelope["projects"]:
            del project["themes"], project["supports"]
    Draft202012Validator(SCHEMA).validate(document)


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


def test_the_winners_delivery_is_in_the_document_and_each_update_makes_a_new_file(
        browser, published, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    url = f"/cycles/{published.cycle.id}/results.json"
    before = validated(browser.get(url))
    winners = {p["id"] for e in before["envelopes"] for p in e["projects"] if p["selected"]}
    assert {t["project_id"] for t in before["tracking"]} == winners
    assert {t["stage"] for t in before["tracking"]} == {"studies"}
    record = next(r for r in tracking_read.of_cycle(published.cycle)
                  if r.commune_id == published.world.north.id)
    tracking.update(published.world.users["staff"], record, TrackingUpdate(
        stage=Stage.WORKS, progress=40, committed=5_000, spent=1_200,
        planned_delivery=date(2027, 6, 30), delivered_on=None, abandon_reason="", service="",
        delivered_by_commune=True))
    tracking.add_milestone(published.world.users["staff"], record, "Début des travaux",
                           date(2027, 3, 1))
    after = validated(browser.get(url))  # not the file stored at the first download
    [line] = [t for t in after["tracking"] if t["project_id"] == record.proposal_id]
    assert line == {"project_id": record.proposal_id, "stage": "works", "progress": 40,
                    "voted_eur": record.amount_voted_eur, "committed_eur": 5_000,
                    "spent_eur": 1_200, "planned_delivery": "2027-06-30",
                    "planned_delivery_history": ["2027-06-30"], "delivered_on": None,
                    "abandon_reason": None, "merged_into_project_id": None,
                    "milestones": [{"date": "2027-03-01", "text": "Début des travaux"}]}
    assert before["tally"] == after["tally"]
