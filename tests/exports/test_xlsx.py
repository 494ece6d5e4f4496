"""The XLSX export: openpyxl opens it, and it says what the stored run says."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.exports.conftest import EN, FORMULA, PROJECTS, WINNERS


def workbook(browser, cycle):
    response = browser.get(f"/cycles/{cycle.id}/results.xlsx", headers=EN)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def rows_by_title(sheet) -> dict[str, list]:
    return {row[0]: list(row) for row in sheet.iter_rows(min_row=8, values_only=True)}


def test_summary_sheet(browser, published):
    book = workbook(browser, published.cycle)
    assert book.sheetnames == ["Summary", "Intercommunal envelope", "Nordville", "Sudville"]
    summary = book["Summary"]
    facts = {row[0]: row[1] for row in summary.iter_rows(min_row=2, max_col=2, values_only=True)
             if row[0]}
    run = published.run
    assert summary["A1"].value == published.cycle.title
    assert facts["Territory"] == "CC Test" and facts["SIREN"] == "200000001"
    assert facts["Rule"] == "most votes first, skipping projects that no longer fit"
    assert facts["Tie-break"] == ("the cheaper one first; at equal cost, the one with more "
                                  "votes; then the older proposal")
    assert "cheaper" in facts["Tie-break"]
    assert run.fingerprint in facts.values()
    assert facts["Ballots"] == 4 and facts["Population"] == 4_000
    assert facts["Money available"] == 60_000
    assert facts["Money allocated"] == 10_000 + 20_000 + 25_000
    assert facts["Winning projects"] == len(WINNERS)
    euros_cell = next(c for c in summary["B"] if c.value == 60_000)
    assert "€" in euros_cell.number_format and "#,##0" in euros_cell.number_format
    assert "Preview" not in str(summary["A2"].value)


def test_one_sheet_per_envelope_with_the_stored_numbers(browser, published):
    book = workbook(browser, published.cycle)
    for sheet_name, commune in [("Intercommunal envelope", None),
                                ("Nordville", published.world.north),
                                ("Sudville", published.world.south)]:
        sheet, stored = book[sheet_name], published.envelope(commune)
        assert sheet.freeze_panes == "B8", "the header row stays in view"
        assert sheet["B5"].value == stored["fingerprint"]
        assert [sheet["B2"].value, sheet["B3"].value, sheet["B4"].value] == [
            stored["amount"], stored["spent"], stored["voters"]]
        assert sheet.column_dimensions["A"].width >= 30
        rows = rows_by_title(sheet)
        assert len(rows) == len(stored["projects"])
        for project in stored["projects"]:
            title, cost, votes, funded, rank, _, pid = rows[project["title"]]
            assert (cost, votes, pid) == (project["cost"], project["votes"], project["id"])
            assert funded == ("yes" if project["selected"] else "no")
            assert rank == project["selection_rank"]
    north = rows_by_title(book["Nordville"])
    assert {key for key, (title, *_) in PROJECTS.items() if title in north
            and north[title][3] == "yes"} == {"A", "C", "D"}


def test_explains_why_a_project_did_not_fit(browser, published):
    north = rows_by_title(workbook(browser, published.cycle)["Nordville"])
    explanation = north[PROJECTS["B"][0]][5]
    assert "did not fit" in explanation
    assert "1,000" in explanation and "4,000" in explanation  # 1 000 € left, it costs 4 000 €
    assert north[PROJECTS["A"][0]][5] == "Funded — funded in position 1"


def test_titles_never_become_formulas(browser, published):
    sheet = workbook(browser, published.cycle)["Sudville"]
    cell = next(c for c in sheet["A"] if c.value == FORMULA)
    assert cell.data_type == "s"
    assert cell.quotePrefix, "Excel keeps it as text even when someone edits the cell"


def test_preview_is_marked(make_browser, tallied):
    staff = make_browser()
    staff.login("staff@example.fr")
    response = staff.get(f"/cycles/{tallied.cycle.id}/results.xlsx", headers=EN)
    book = load_workbook(io.BytesIO(response.data))
    assert "Preview" in book["Summary"]["A2"].value


def test_the_publication_date_is_in_paris_time(browser, published):
    from datetime import datetime

    from budget.extensions import db

    published.run.published_at = datetime(2026, 7, 1, 21, 30)  # UTC: 23:30 in Paris (summer)
    db.session.commit()
    summary = workbook(browser, published.cycle)["Summary"]
    facts = {row[0]: row[1] for row in summary.iter_rows(min_row=2, max_col=2, values_only=True)
             if row[0]}
    assert facts["Published on"] == "1 July 2026, 23:30 (Paris time)"
