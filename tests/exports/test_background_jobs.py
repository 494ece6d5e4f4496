"""Exports as background jobs: started by staff, shown to that staff member only. Without
Redis (as here) the job runs inline; scripts/scale_out_check.py runs the same on a worker."""
from __future__ import annotations

import pytest

from budget import jobs
from tests.conftest import someone


def start_pdf(browser, voted, format_name="pdf"):
    return browser.post(f"/staff/cycles/{voted.cycle.id}/exports/{format_name}")


def test_staff_prepare_a_report_and_download_it(make_browser, w, tallied):
    staff = someone(make_browser, w, "staff")
    started = start_pdf(staff, tallied)
    assert started.status_code == 302 and "/staff/jobs/" in started.location
    page = staff.get(started.location).get_data(as_text=True)
    assert "resultats-cycle-" in page and "apercu.pdf" in page
    download = staff.get(started.location + "/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who, status", [("admin", 404), ("council", 403), ("alice", 403)])
def test_nobody_else_sees_the_job(make_browser, w, tallied, who, status):
    started = start_pdf(someone(make_browser, w, "staff"), tallied)
    other = someone(make_browser, w, who)
    assert other.get(started.location).status_code == status
    assert other.get(started.location + "/download").status_code == status


def test_unknown_format_and_missing_token_are_refused(make_browser, w, tallied):
    staff = someone(make_browser, w, "staff")
    assert start_pdf(staff, tallied, "docx").status_code == 400
    assert staff.post(f"/staff/cycles/{tallied.cycle.id}/exports/pdf",
                      csrf=False).status_code == 400


def test_a_failed_job_is_reported_to_who_started_it(make_browser, w, tallied, caplog):
    staff = someone(make_browser, w, "staff")
    job_id = jobs.enqueue("export_report", 10**9, 10**9, "pdf", False,
                          started_by=w.users["staff"].id)
    assert jobs.find(job_id).state == "failed"
    assert "failed" in caplog.text and job_id in caplog.text
    page = staff.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
    assert "échoué" in page
    assert staff.get(f"/staff/jobs/{job_id}/download").status_code == 404


def test_the_dashboard_offers_the_reports(make_browser, w, tallied):
    page = someone(make_browser, w, "staff").get(f"/staff/cycles/{tallied.cycle.id}")
    text = page.get_data(as_text=True)
    assert f"/staff/cycles/{tallied.cycle.id}/exports/pdf" in text
    assert f"/staff/cycles/{tallied.cycle.id}/exports/xlsx" in text
