"""The council's adoption of the published results: recorded by staff with the deliberation's
PDF, shown on the results page and in the exports; the annex to the deliberation (PDF, XLSX)."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from budget.domain.adoption import Outcome
from budget.domain.errors import DomainError, NotAllowed, WrongPhase
from budget.extensions import db
from budget.models import AuditEntry, CouncilAdoption
from budget.models.time import to_local, utcnow
from budget.services import adoption
from tests.exports.conftest import EN, PROJECTS, WINNERS

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "opendata-schema-v1.json")
                    .read_text(encoding="utf-8"))
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def today():
    """Today in France, read when a test runs: a run that crosses midnight in Paris publishes
    its results on the new day (a date read at collection was then before the publication)."""
    return to_local(utcnow()).date()


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def draft(commune=None, number="2027-045", outcome=Outcome.ADOPTED, day=None):
    return adoption.AdoptionDraft(commune.id if commune else None, day or today(), number,
                                  outcome)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def send(browser, cycle, **fields):
    data = {"body": "community", "session_date": today().isoformat(),
            "deliberation_number": "2027-045", "outcome": "adopted", **fields}
    return browser.post(f"/staff/cycles/{cycle.id}/adoption", data,
                        content_type="multipart/form-data")


def test_staff_record_an_adoption_with_its_pdf_and_everyone_sees_it(browser, published,
                                                                    uploads):
    browser.login("staff@example.fr")
    response = send(browser, published.cycle, outcome="adopted_amended",
                    pdf=(io.BytesIO(PDF), "délibération.pdf", "application/pdf"))
    assert response.status_code == 302, response.get_data(as_text=True)
    found = db.session.scalars(select(CouncilAdoption)).one()
    assert (found.body, found.commune_id, found.outcome, found.pdf_bytes) == (
        "community", None, "adopted_amended", len(PDF))
    assert adoption.pdf_path(found).read_bytes() == PDF
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "adoption.record")).one()
    assert entry.after["deliberation_number"] == "2027-045" and entry.cycle_id == published.cycle.id
    browser.logout()
    browser.login("admin@example.fr")
    log = browser.get("/admin/audit").get_data(as_text=True)
    assert "Décision du conseil enregistrée" in log and "numéro de la délibération" in log
    assert "adoptée avec modifications" in log.lower()
    browser.logout()
    page = browser.get(f"/cycles/{published.cycle.id}/results").get_data(as_text=True)
    assert "Conseil communautaire" in page and "2027-045" in page
    assert "adoptée avec modifications" in page
    download = browser.get(f"/cycles/{published.cycle.id}/deliberations/{found.id}.pdf")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"


@pytest.mark.parametrize("content", [b"GIF89a not a pdf", b"<html>%PDF-1.4</html>" + b"x" * 2000,
                                     PDF[:-7], b""])
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_written(browser, published,
                                                                    uploads, content):
    browser.login("staff@example.fr")
    response = send(browser, published.cycle,
                    pdf=(io.BytesIO(content), "deliberation.pdf", "application/pdf"))
    if content == b"":  # no file chosen: the decision is recorded without one
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert "n’est pas un document PDF" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CouncilAdoption)) == 0
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_a_pdf_too_large_is_refused(app, published, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_DELIBERATION_BYTES", 100)
    with pytest.raises(DomainError) as refused:
        adoption.record_adoption(published.world.users["staff"], published.cycle, draft(),
                                 PDF + b" " * 100)
    assert refused.value.field == "pdf"
    assert db.session.scalar(select(func.count()).select_from(CouncilAdoption)) == 0


def test_commune_staff_record_their_own_councils_decision_only(published, uploads):
    w, cycle = published.world, published.cycle
    clerk = w.users["northclerk"]
    assert adoption.bodies(clerk, cycle) == [w.north]
    assert adoption.bodies(w.users["staff"], cycle) == [None, w.north, w.south]
    made = adoption.record_adoption(clerk, cycle, draft(w.north, outcome=Outcome.REJECTED))
    assert (made.body, made.commune_id, made.pdf_token) == ("municipal", w.north.id, None)
    for commune in (None, w.south):
        with pytest.raises(NotAllowed):
            adoption.record_adoption(clerk, cycle, draft(commune))
    with pytest.raises(NotAllowed):
        adoption.record_adoption(w.users["council"], cycle, draft())


def test_nothing_is_adopted_before_the_results_are_published(browser, tallied, uploads):
    with pytest.raises(WrongPhase):
        adoption.record_adoption(tallied.world.users["staff"], tallied.cycle, draft())
    browser.login("staff@example.fr")
    assert browser.get(f"/staff/cycles/{tallied.cycle.id}/adoption").status_code == 409


@pytest.mark.parametrize("fields, message", [
    ({"session_date": "tomorrow"}, "ne peut pas être dans le futur"),
    ({"session_date": "2020-01-01"}, "ne peut pas être antérieure"),
    ({"deliberation_number": "=HYPERLINK()"}, "Un numéro de délibération"),
    ({"outcome": "approved"}, "Not a valid choice"),
])
def test_a_wrong_date_number_or_outcome_is_refused(browser, published, uploads, fields,
                                                   message):
    if fields.get("session_date") == "tomorrow":
        fields = {"session_date": (today() + timedelta(days=1)).isoformat()}
    browser.login("staff@example.fr")
    response = send(browser, published.cycle, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True) or fields.get("outcome")
    assert db.session.scalar(select(func.count()).select_from(CouncilAdoption)) == 0


def test_the_exports_carry_the_decision_once_recorded(browser, published, uploads, app,
                                                      tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    cycle, staff = published.cycle, published.world.users["staff"]
    before = browser.get(f"/cycles/{cycle.id}/results.json").get_json()
    assert before["adoptions"] == [] and before["schema_version"] == "1.4"
    adoption.record_adoption(staff, cycle, draft(), PDF)
    adoption.record_adoption(staff, cycle, draft(published.world.south, "DEL-2027/12",
                                                 Outcome.ADJOURNED))
    document = browser.get(f"/cycles/{cycle.id}/results.json").get_json()  # not the stored one
    Draft202012Validator(SCHEMA).validate(document)
    assert [(a["body"], a["commune_insee_code"], a["deliberation_number"], a["outcome"],
             a["deliberation_pdf"], a["session_date"]) for a in document["adoptions"]] == [
        ("community", None, "2027-045", "adopted", True, today().isoformat()),
        ("municipal", "99002", "DEL-2027/12", "adjourned", False, today().isoformat())]
    text = pdf_text(browser.get(f"/cycles/{cycle.id}/results.pdf", headers=EN).data)
    assert "Community council (conseil communautaire)" in text and "2027-045" in text
    flat = " ".join(text.split())
    assert "Municipal council of Sudville, session of" in flat
    assert "deliberation no. DEL-2027/12: adjourned." in flat
    workbook = load_workbook(io.BytesIO(browser.get(f"/cycles/{cycle.id}/results.xlsx").data))
    decisions = [row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)
                 if row and row[0] == "Décision du conseil"]
    assert len(decisions) == 2
    assert decisions[0].startswith("Conseil communautaire, séance du ")
    assert decisions[0].endswith("délibération n°\u00a02027-045\u202f: adoptée.")


def test_a_version_1_0_document_without_adoptions_is_still_valid(browser, published):
    document = browser.get(f"/cycles/{published.cycle.id}/results.json").get_json()
    del document["adoptions"]
    document["schema_version"] = "1.0"
    Draft202012Validator(SCHEMA).validate(document)


def test_the_annex_pdf_lists_winners_codes_rule_turnout_and_fingerprint(browser, published):
    response = browser.get(f"/cycles/{published.cycle.id}/deliberation-annex.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "annexe-deliberation-cycle-" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Annexe à la délibération" in text and "CC TEST" in text
    assert "SIREN 200000001" in text and "INSEE 99001" in text and "INSEE 99002" in text
    for key in WINNERS:
        assert PROJECTS[key][0] in text, key
    assert PROJECTS["B"][0] not in text  # not funded: not in the annex
    flat = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    # The rule in plain words, then how it works (the registry's explanation).
    assert "Règle : les plus votés d’abord" in flat
    assert "Les projets sont classés selon leur nombre de voix." in flat
    assert published.run.fingerprint in text
    assert "En ligne" in text and "Sur papier" in text
    assert "Le Président" in text
    assert "Total du budget participatif, sur 60 000 € disponibles 55 000 €" in flat
    # Online, at a kiosk, on paper, ballots.
    assert "Nordville 99001 3 0 0 3 Sudville 99002 1 0 0 1 Total 4 0 0 4" in flat


def test_the_annex_workbook_has_the_same_facts(browser, published):
    response = browser.get(f"/cycles/{published.cycle.id}/deliberation-annex.xlsx",
                           headers=EN)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    facts = {row[0]: row[1] for row in rows[:14] if row and row[0]}
    assert facts["SIREN"] == "200000001" and facts["Fingerprint"] == published.run.fingerprint
    assert facts["Ballots cast online"] == 4 and facts["Ballots cast on paper"] == 0
    assert facts["Money allocated"] == 55_000
    winners = {(row[1], row[2], row[4]) for row in rows if row[2] in
               {title for title, *_ in PROJECTS.values()}}
    assert winners == {("200000001" if PROJECTS[k][1] is None else
                        {"north": "99001", "south": "99002"}[PROJECTS[k][1]],
                        PROJECTS[k][0], PROJECTS[k][2]) for k in WINNERS}
    assert not any(str(row[2]).startswith("=") for row in rows)  # F (a formula) did not win


def test_the_annex_waits_for_the_publication(browser, tallied):
    browser.login("staff@example.fr")
    for name in ("deliberation-annex.pdf", "deliberation-annex.xlsx"):
        assert browser.get(f"/cycles/{tallied.cycle.id}/{name}").status_code == 404


def test_the_session_cannot_be_before_publication(published, uploads):
    with pytest.raises(DomainError) as refused:
        adoption.record_adoption(published.world.users["staff"], published.cycle,
                                 draft(day=date(2020, 1, 1)))
    assert refused.value.field == "session_date"
