"""The catalogue of funded projects, end to end: the admin imports a Pabulib project list and
another installation's open-data export; a visitor searches and filters; a resident starts a
proposal from an entry ("Reprendre ce projet") and the proposal shows where it comes from;
a proposal like a project funded elsewhere shows it beside the form and the review. axe
checks the pages on the way."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, sign_in

CYCLE = "Budget participatif 2034 (catalogue)"
ADMIN = ("admin@demo.budget.fr", "admin-demo-2026")
RESIDENT = ("habitant@demo.budget.fr", "habitant-demo-2026")
STAFF = ("agent@demo.budget.fr", "agent-demo-2026")
TOULOUSE = (Path(__file__).resolve().parents[1] / "data" / "imports"
            / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb")
ENTRY = "Pépinière-jardin du quartier Reynerie-Bellefontaine"


@pytest.fixture(scope="module")
def files(live_server, tmp_path_factory) -> dict:
    """A cycle of this file alone in its proposal phase, and the open-data export of a
    published demo edition as another installation (La Flotte's, say) would publish it."""
    from budget.extensions import db
    from budget.models import BudgetCycle, Intercommunality
    from budget.models.time import utcnow
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.exports import opendata, report
    from budget.services.policy import SYSTEM_OPERATOR

    folder = tmp_path_factory.mktemp("catalogue")
    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        now = utcnow()
        create_cycle(SYSTEM_OPERATOR, epci, CycleDraft(
            title=CYCLE, description="", proposals_start=now - timedelta(days=1),
            review_start=now + timedelta(days=20), vote_start=now + timedelta(days=40),
            vote_end=now + timedelta(days=60), vote_format="approval",
            vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes}))
        published = db.session.scalar(db.select(BudgetCycle).where(
            BudgetCycle.title.contains("2024")))
        document = opendata.as_document(report.build(published, published.published_run))
        document["publisher"]["url"] = "https://budget.ailleurs.example"
        projects = sum(len(e["projects"]) for e in document["envelopes"])
        winner = next(p["title"] for e in document["envelopes"] for p in e["projects"]
                      if p["selected"])
    export = folder / "resultats.json"
    export.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"export": export, "projects": projects, "winner": winner}


def test_import_search_reuse_and_provenance(live_server, files, new_page, check_page):
    admin = new_page()
    sign_in(admin, *ADMIN)
    admin.goto("/admin/catalogue")
    check_page(admin, "catalogue-import")
    admin.get_by_label("Fichier").set_input_files(str(TOULOUSE))
    admin.get_by_role("button", name="Importer").click()
    expect(admin.get_by_text("10 projets ajoutés au catalogue.")).to_be_visible()
    admin.get_by_label("Fichier").set_input_files(str(files["export"]))
    admin.get_by_role("button", name="Importer").click()
    expect(admin.get_by_text(f"{files['projects']} projets ajoutés au catalogue.")).to_be_visible()

    visitor = new_page(PHONE)
    visitor.goto("/catalogue")
    visitor.get_by_label("Mots à chercher").fill("pepiniere")
    visitor.get_by_role("button", name="Rechercher").click()
    expect(visitor.get_by_role("link", name=ENTRY)).to_be_visible()
    expect(visitor.get_by_text("1 projet", exact=True)).to_be_visible()
    check_page(visitor, "catalogue-search")
    visitor.goto("/catalogue")
    visitor.get_by_label("Thème").select_option("Éco-mobilité")
    visitor.get_by_role("button", name="Rechercher").click()
    expect(visitor.get_by_role("link", name="Installation de bornes de recharge électrique "
                                            "dans le parc HLM/ZFU")).to_be_visible()
    expect(visitor.get_by_role("link", name=ENTRY)).to_have_count(0)

    resident = new_page(PHONE)
    sign_in(resident, *RESIDENT)
    resident.goto("/catalogue?q=pepiniere")
    resident.get_by_role("link", name=ENTRY).click()
    expect(resident.get_by_text("Licence", exact=False)).to_be_visible()
    check_page(resident, "catalogue-entry")
    cycle_id = live_server.cycle_id(CYCLE)
    resident.locator(f'a[href*="/cycles/{cycle_id}/proposals/new"]').click()
    expect(resident.get_by_label("Titre")).to_have_value(ENTRY)
    resident.get_by_label("Coût estimé, en euros").fill("70000")
    resident.get_by_role("radio").first.check()
    resident.get_by_role("button", name="Déposer ma proposition").click()
    provenance = resident.locator(".provenance")
    expect(provenance).to_contain_text("Inspiré de")
    expect(provenance.get_by_role("link")).to_have_text(
        f"{ENTRY}, Toulouse – 17 - Mirail-Université / Reynerie / Bellefontaine, 2022")
    check_page(resident, "catalogue-provenance")


def test_similar_projects_beside_the_form_and_the_review(live_server, files, new_page,
                                                          check_page):
    """After the imports above: a resident proposes what another installation funded; the
    form sent back (no cost yet) names it, and so does staff's review page."""
    resident = new_page(PHONE)
    sign_in(resident, *RESIDENT)
    resident.goto(f"/cycles/{live_server.cycle_id(CYCLE)}/proposals/new")
    resident.get_by_label("Titre").fill(files["winner"])
    resident.get_by_label("Description").fill("La même idée, chez nous.")
    resident.get_by_role("radio").first.check()
    resident.get_by_role("button", name="Déposer ma proposition").click()
    panel = resident.locator(".similar-projects")
    expect(panel).to_contain_text("financé")
    expect(panel).to_contain_text(files["winner"])
    check_page(resident, "catalogue-similar-form")
    resident.get_by_label("Coût estimé, en euros").fill("5000")
    resident.get_by_role("button", name="Déposer ma proposition").click()
    resident.wait_for_url("**/proposals/*")
    proposal_id = resident.url.rstrip("/").split("/")[-1]

    staff = new_page()
    sign_in(staff, *STAFF)
    staff.goto(f"/staff/proposals/{proposal_id}/review")
    expect(staff.locator(".similar-projects")).to_contain_text(files["winner"])
    check_page(staff, "catalogue-similar-review")
