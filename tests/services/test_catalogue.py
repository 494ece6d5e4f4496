"""The catalogue of funded projects (services/catalogue.py, catalogue_import.py): imports that
are all or nothing and idempotent, the installation's winners added at publication, the
search with its filters, similar projects, and a proposal started from an entry."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget.domain.catalogue_files import FileRefused
from budget.domain.delivery import Stage, TrackingUpdate
from budget.domain.phases import Phase
from budget.domain.errors import DomainError, NotAllowed
from budget.extensions import db
from budget.models import CatalogueEntry, Proposal
from budget.services import catalogue, catalogue_import, proposals, tracking, tracking_read
from budget.services.exports import opendata, report
from budget.services.policy import SYSTEM_OPERATOR
from budget.services.proposals import ProposalDraft
from tests import factories
from tests.services.tracking_helpers import published_cycle

DATA = Path(__file__).resolve().parents[1] / "data"
ASSEN = (DATA / "Netherlands_Assen_2024.pb").read_bytes()


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(CatalogueEntry))


def test_a_pabulib_file_adds_its_projects_with_their_outcome(session):
    assert catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb",
                                        ASSEN) == 14
    podium = db.session.scalar(select(CatalogueEntry).where(
        CatalogueEntry.title == "PopUp Podium"))
    assert (podium.source, podium.external_id, podium.cost, podium.currency, podium.selected,
            podium.territory_name, podium.year) == (
        "Netherlands_Assen_2024.pb", "3", 7200, "EUR", True, "Assen", 2024)
    assert podium.description.startswith("12x per jaar")


def test_importing_the_same_file_twice_adds_nothing_the_second_time(session):
    catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb", ASSEN)
    assert catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb",
                                        ASSEN) == 0
    assert entries() == 14


def test_a_malformed_pabulib_file_is_refused_with_its_line_and_nothing_is_added(session):
    broken = ASSEN.replace(b"2;10000;24;Go-Zero", b"2;dix mille;24;Go-Zero")
    with pytest.raises(FileRefused) as refused:
        catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb", broken)
    line = ASSEN.split(b"\n").index(next(row for row in ASSEN.split(b"\n")
                                         if row.startswith(b"2;10000"))) + 1
    assert refused.value.line == line
    assert entries() == 0


def test_a_malformed_json_export_is_refused_with_its_line_and_nothing_is_added(session):
    text = '{\n  "schema_version": "1.2",\n  "status": "published",\n  oops\n}'
    with pytest.raises(FileRefused) as refused:
        catalogue_import.import_file(SYSTEM_OPERATOR, "results.json", text.encode())
    assert refused.value.line == 4
    assert entries() == 0


def test_only_an_admin_imports(session):
    w = factories.world()
    with pytest.raises(NotAllowed):
        catalogue_import.import_file(w.users["staff"], "Netherlands_Assen_2024.pb", ASSEN)
    assert entries() == 0


def export_of(pub) -> bytes:
    return opendata.render_json(report.build(pub.cycle, pub.cycle.published_run))


def test_the_published_winners_are_in_the_catalogue_with_their_live_stage(session):
    pub = published_cycle(factories.world())
    found = db.session.scalars(catalogue.search_statement(catalogue.Criteria())).all()
    assert {row.proposal_id for row in found} == {pub.jardin.id, pub.preau.id, pub.piste.id}
    jardin = next(row for row in found if row.proposal_id == pub.jardin.id)
    assert (jardin.territory_name, jardin.territory_code, jardin.cost) == (
        pub.w.north.name, pub.w.north.insee_code, 6_000)
    record = tracking_read.of_proposal(pub.jardin)
    tracking.update(SYSTEM_OPERATOR, record, TrackingUpdate(
        stage=Stage.DELIVERED, progress=100, committed=6_000, spent=5_000,
        planned_delivery=None, delivered_on=date.today(), abandon_reason="", service="",
        delivered_by_commune=True))
    delivered = db.session.scalars(catalogue.search_statement(
        catalogue.Criteria(status="delivered"))).all()
    assert catalogue.with_stages(delivered)[0][1:] == ("delivered", date.today())
    assert [row.proposal_id for row in delivered] == [pub.jardin.id]


def test_another_installations_export_imports_its_projects_once(session):
    pub = published_cycle(factories.world())
    document = export_of(pub)
    assert json.loads(document)["publisher"]["licence"]
    before = entries()
    assert catalogue_import.import_file(SYSTEM_OPERATOR, "results.json", document) == 4
    assert catalogue_import.import_file(SYSTEM_OPERATOR, "results.json", document) == 0
    assert entries() == before + 4
    banc = db.session.scalar(select(CatalogueEntry).where(
        CatalogueEntry.title == "Banc", CatalogueEntry.source == "http://localhost"))
    assert (banc.selected, banc.territory_code, banc.cost, banc.licence) == (
        False, pub.w.north.insee_code, 9_000, "Licence Ouverte / Open Licence version 2.0")


def test_an_export_whose_project_has_no_title_is_refused_at_that_projects_line(session):
    pub = published_cycle(factories.world())
    document = json.loads(export_of(pub))
    del document["envelopes"][0]["projects"][0]["title"]
    text = json.dumps(document, indent=2)
    project_id = document["envelopes"][0]["projects"][0]["id"]
    line = text.split("\n").index(f'          "id": {project_id},')  # after the brace's line
    before = entries()
    with pytest.raises(FileRefused) as refused:
        catalogue_import.import_file(SYSTEM_OPERATOR, "results.json", text.encode())
    assert refused.value.line == line
    assert entries() == before


def test_the_search_finds_french_words_without_accents_and_filters(session):
    catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb", ASSEN)
    name = "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
    toulouse = (DATA / "imports" / name).read_bytes()
    catalogue_import.import_file(SYSTEM_OPERATOR, name, toulouse)

    def titles(**criteria):
        return [row.title for row in db.session.scalars(
            catalogue.search_statement(catalogue.Criteria(**criteria)))]

    assert titles(q="pepiniere") == ["Pépinière-jardin du quartier Reynerie-Bellefontaine"]
    assert titles(theme="Éco-mobilité") == [
        "Installation de bornes de recharge électrique dans le parc HLM/ZFU"]
    costs = [row.cost for row in db.session.scalars(catalogue.search_statement(
        catalogue.Criteria(cost_min=30_000, cost_max=40_000)))]
    assert len(costs) == 5 and all(30_000 <= cost <= 40_000 for cost in costs)
    assert "Crossbaan in Peelo" in titles(status="not_selected")
    assert "PopUp Podium" not in titles(status="not_selected")
    assert "Éco-mobilité" in catalogue.themes()


def test_similar_funded_projects_elsewhere_are_found_by_the_words_of_a_proposal(session):
    pub = published_cycle(factories.world())
    catalogue_import.import_file(SYSTEM_OPERATOR, "results.json", export_of(pub))
    found = catalogue.similar("Un jardin partagé au centre", "jardin partagé avec des bacs")
    assert [row[0].title for row in found.rows] == ["Jardin partagé", "Jardin partagé"]
    # A proposal of the same intercommunalité sees its own territory's winner as 'here'.
    here = factories.project(pub.cycle, pub.w.north, "Autre jardin partagé", 1_000,
                             pub.w.users["bob"])
    elsewhere = catalogue.similar(here.title, here.description, here)
    assert [row[0].source for row in elsewhere.rows] == ["http://localhost"]
    assert elsewhere.costs == [6_000]


def test_a_proposal_started_from_an_entry_keeps_its_origin(session):
    w = factories.world()
    catalogue_import.import_file(SYSTEM_OPERATOR, "Netherlands_Assen_2024.pb", ASSEN)
    podium = db.session.scalar(select(CatalogueEntry).where(
        CatalogueEntry.title == "PopUp Podium"))
    cycle = factories.cycle(w, Phase.PROPOSALS)
    envelope = factories.envelope(cycle, w.north)
    proposal = proposals.submit(w.users["alice"], cycle, ProposalDraft(
        "Scène éphémère", podium.description, 8_000, envelope.id, inspired_by_id=podium.id))
    assert db.session.get(Proposal, proposal.id).inspired_by.title == "PopUp Podium"
    with pytest.raises(DomainError):
        proposals.submit(w.users["alice"], cycle, ProposalDraft(
            "Autre", "Texte", 8_000, envelope.id, inspired_by_id=999_999))
