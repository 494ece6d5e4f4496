"""The catalogue's pages: the admin's import (a refusal in French with its line, nothing
added), the public list and its filters, an entry's "Reprendre ce projet", the provenance on
the proposal, the similar projects beside the proposal form and the review; the command."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import CatalogueEntry, Proposal
from budget.services import catalogue_import
from budget.services.policy import SYSTEM_OPERATOR
from tests import factories
from tests.conftest import someone

ASSEN = (Path(__file__).resolve().parents[1] / "data" / "Netherlands_Assen_2024.pb").read_bytes()


@pytest.fixture
def w(session):
    return factories.world()


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(CatalogueEntry))


def send_file(browser, data: bytes, name: str):
    return browser.post("/admin/catalogue", {"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def test_an_admin_imports_a_pabulib_file_and_a_malformed_one_is_refused_with_its_line(
        make_browser, w):
    admin = someone(make_browser, w, "admin")
    broken = ASSEN.replace(b"9;21000;42;", b"9;vingt;42;")
    refused = send_file(admin, broken, "Assen.pb")
    assert refused.status_code == 422
    assert "Ligne 21\u202f: Fichier Pabulib illisible" in refused.get_data(as_text=True)
    assert entries() == 0
    response = send_file(admin, ASSEN, "Assen.pb")
    assert response.status_code == 302
    assert "14 projets ajoutés au catalogue." in admin.get("/admin/catalogue").get_data(
        as_text=True)
    send_file(admin, ASSEN, "Assen.pb")
    assert entries() == 14


def test_staff_may_not_import(make_browser, w):
    assert send_file(someone(make_browser, w, "staff"), ASSEN, "Assen.pb").status_code == 403
    assert entries() == 0


def test_the_catalogue_lists_searches_and_filters_with_source_and_licence(browser, w):
    catalogue_import.import_file(SYSTEM_OPERATOR, "Assen.pb", ASSEN)
    page = browser.get("/catalogue?q=studio").get_data(as_text=True)
    assert "Muziekproductie studio" in page and "PopUp Podium" not in page
    assert "Assen.pb" in page and "non précisée par la source" in page
    assert "1 projet" in page
    funded = browser.get("/catalogue?status=not_selected").get_data(as_text=True)
    assert "Crossbaan in Peelo" in funded and "PopUp Podium" not in funded
    wrong = browser.get("/catalogue?cost_min=abc&status=nonsense")
    assert wrong.status_code == 200


def test_a_resident_reuses_an_entry_and_the_published_proposal_shows_its_origin(make_browser,
                                                                                w):
    catalogue_import.import_file(SYSTEM_OPERATOR, "Assen.pb", ASSEN)
    entry = db.session.scalar(select(CatalogueEntry).where(CatalogueEntry.title == "PopUp Podium"))
    cycle = factories.cycle(w, Phase.PROPOSALS)
    alice = someone(make_browser, w, "alice")
    page = alice.get(f"/catalogue/{entry.id}").get_data(as_text=True)
    assert "Reprendre ce projet" in page
    assert "Reprendre ce projet" not in someone(make_browser, w, "zoe").get(
        f"/catalogue/{entry.id}").get_data(as_text=True)
    form = alice.get(f"/cycles/{cycle.id}/proposals/new?from_entry={entry.id}").get_data(
        as_text=True)
    assert 'value="PopUp Podium"' in form and "Inspiré de" in form
    response = alice.post(f"/cycles/{cycle.id}/proposals/new", {
        "title": "Scène éphémère", "description": "Une scène qui apparaît chaque mois.",
        "estimated_cost": "8000", "envelope_id": str(factories.envelope(cycle, w.north).id),
        "inspired_by": str(entry.id)}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == "Scène éphémère"))
    assert proposal.inspired_by_id == entry.id
    shown = someone(make_browser, w, None).get(f"/proposals/{proposal.id}").get_data(
        as_text=True)
    assert re.search(r"Inspiré de\u202f: <a [^>]+>PopUp Podium, Assen, 2024</a>", shown)


def test_the_similar_funded_projects_show_beside_the_form_and_the_review(make_browser, w):
    catalogue_import.import_file(SYSTEM_OPERATOR, "Assen.pb", ASSEN)
    cycle = factories.cycle(w, Phase.PROPOSALS)
    proposal = factories.project(cycle, w.north, "Un podium pour la musique", 9_000,
                                 w.users["alice"], factories.Status.SUBMITTED)
    proposal.description = "Un podium pour les jeunes, avec un studio."
    db.session.commit()
    review = someone(make_browser, w, "staff").get(f"/staff/proposals/{proposal.id}/review")
    text = review.get_data(as_text=True)
    # Next to the final cost; the studio (one word of the description) is not enough.
    assert text.index('name="final_cost"') < text.index(
        "1 projet semblable financé ailleurs\u202f: 7\u202f200\u00a0€")
    assert "Muziekproductie" not in text
    form = someone(make_browser, w, "alice").post(f"/cycles/{cycle.id}/proposals/new", {
        "title": "Studio de musique", "description": "Un studio pour la muziekproductie.",
        "estimated_cost": "abc"}, content_type="multipart/form-data")
    assert form.status_code == 422
    assert "1 projet semblable financé ailleurs\u202f: 15\u202f000\u00a0€" in form.get_data(
        as_text=True)


def test_the_command_imports_and_prints_the_count_on_its_last_line(app, session, tmp_path):
    path = tmp_path / "Assen.pb"
    path.write_bytes(ASSEN)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["budget", "import-catalogue", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "14"
    again = runner.invoke(args=["budget", "import-catalogue", str(path)])
    assert again.output.strip().splitlines()[-1] == "0"
    broken = tmp_path / "broken.json"
    broken.write_text('{\n "schema_version": "1.2",\n "status": "preview"\n}')
    refused = runner.invoke(args=["budget", "import-catalogue", str(broken)])
    assert refused.exit_code == 2
    assert "Ligne 1\u202f: Seuls des résultats publiés" in refused.output


def test_the_backfill_adds_winners_published_before_the_catalogue_once(app, session):
    """A cycle published before the catalogue existed: the command adds its winners, and a
    second run adds nothing."""
    from tests.services.tracking_helpers import published_cycle

    pub = published_cycle(factories.world())
    winners = set(db.session.scalars(select(CatalogueEntry.proposal_id)))
    assert winners
    db.session.execute(db.delete(CatalogueEntry))  # as before the catalogue existed
    db.session.commit()

    runner = app.test_cli_runner()
    first = runner.invoke(args=["budget", "catalogue-backfill"])
    assert first.exit_code == 0, first.output
    assert first.output.strip().splitlines()[-1] == str(len(winners))
    assert set(db.session.scalars(select(CatalogueEntry.proposal_id))) == winners
    again = runner.invoke(args=["budget", "catalogue-backfill"])
    assert again.output.strip().splitlines()[-1] == "0"
    assert pub.cycle.published_run is not None
