"""Irreversible staff actions ask first (issue 17, item 2): the dashboard links to a page that
says what will happen, only that page posts, and the audit log names who confirmed."""
import html
import re
from urllib.parse import urlsplit

import pytest
from flask_babel import format_datetime

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import AuditEntry, PaperBatch
from budget.services import tally
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w, make_browser):
    """A vote open until a known date, with two ballots cast online."""
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 4_000, w.users["bob"])
    for voter in ("alice", "staff"):
        response = someone(make_browser, w, voter).post(f"/cycles/{cycle.id}/vote/confirm",
                                                        {"project": [park.id]})
        assert response.status_code == 200, response.get_data(as_text=True)  # the receipt
    return cycle


def page_of(browser, url) -> str:
    response = browser.get(url, headers=EN)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def link_to(page: str, text: str) -> str:
    """The href of the link (or link-styled button) whose text is `text`."""
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text) + r"\s*</a>", page)
    assert match, f"no link “{text}”"
    return match.group(1)


def form_posting_to(page: str, path: str) -> str:
    match = re.search(r'<form method="post" action="(' + re.escape(path) + r')"', page)
    assert match, f"no form posting to {path}"
    return match.group(1)


def last_audit(action: str) -> AuditEntry:
    return db.session.query(AuditEntry).filter_by(action=action) \
        .order_by(AuditEntry.seq.desc()).first()


def test_closing_the_vote_asks_first_with_the_turnout_and_planned_date(
        app, make_browser, w, cycle):
    staff = someone(make_browser, w, "staff")
    planned = cycle.vote_end
    dashboard = page_of(staff, f"/staff/cycles/{cycle.id}")
    assert f'action="/staff/cycles/{cycle.id}/close"' not in dashboard  # no one-click close
    confirm_url = link_to(dashboard, "Close the vote now")
    page = page_of(staff, confirm_url)  # only looking: nothing is closed
    assert cycle.phase() == Phase.VOTE
    assert "2 ballots are in the ballot box." in page
    with app.test_request_context(headers=EN):
        assert format_datetime(planned, "d MMMM y, HH:mm") in page
    assert "it cannot be reopened" in page
    action = form_posting_to(page, f"/staff/cycles/{cycle.id}/close")
    response = staff.post(action, {})
    assert response.status_code == 302
    db.session.refresh(cycle)
    assert cycle.phase() == Phase.COUNTING
    entry = last_audit("cycle.close_vote")
    assert entry.actor_id == w.users["staff"].id and entry.cycle_id == cycle.id


def test_the_close_confirmation_is_for_the_staff_who_may_close(make_browser, w, cycle):
    url = f"/staff/cycles/{cycle.id}/close"
    assert someone(make_browser, w, "otherstaff").get(url).status_code == 403
    assert someone(make_browser, w, "council").get(url).status_code == 403
    # Closed already: back to the dashboard with the reason, no confirm button.
    staff = someone(make_browser, w, "staff")
    staff.post(url, {})
    response = staff.get(url, headers=EN)
    assert response.status_code == 302
    dashboard = staff.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "This cannot be done in the current phase of the cycle." in dashboard


def test_publishing_asks_first_with_the_run_rule_and_ballots(make_browser, w, cycle):
    staff = someone(make_browser, w, "staff")
    staff.post(f"/staff/cycles/{cycle.id}/close", {})
    staff.post(f"/staff/cycles/{cycle.id}/tally", {})
    run = tally.latest_run(cycle)
    dashboard = page_of(staff, f"/staff/cycles/{cycle.id}")
    assert f'action="/staff/cycles/{cycle.id}/publish"' not in dashboard
    page = page_of(staff, link_to(dashboard, "Publish these results"))
    assert run.published_at is None
    assert f"Run no. {run.id} of" in page
    assert "most votes first, skipping projects that no longer fit" in page
    assert "2 ballots" in page and "2 online, 0 on paper" in page
    assert run.fingerprint in page
    action = form_posting_to(page, f"/staff/cycles/{cycle.id}/publish")
    assert re.search(rf'<input[^>]*name="run_id"[^>]*value="{run.id}"', page)
    response = staff.post(action, {"run_id": str(run.id)})
    assert urlsplit(response.headers["Location"]).path == f"/cycles/{cycle.id}/results"
    db.session.refresh(run)
    assert run.published_at is not None
    entry = last_audit("tally.publish")
    assert entry.actor_id == w.users["staff"].id and entry.subject_id == str(run.id)


def test_the_publish_confirmation_shows_why_a_preview_cannot_be_published(
        make_browser, w, cycle):
    staff = someone(make_browser, w, "staff")
    db.session.add(PaperBatch(cycle_id=cycle.id, commune_id=w.north.id,
                              label="Mairie, 12 mars", declared_count=3))
    db.session.commit()
    staff.post(f"/staff/cycles/{cycle.id}/close", {})
    staff.post(f"/staff/cycles/{cycle.id}/tally", {})
    page = page_of(staff, f"/staff/cycles/{cycle.id}/publish")
    assert "This tally is a preview and cannot be published:" in page
    assert "Mairie, 12 mars" in page
    assert "Yes, publish these results" not in page
    assert f'action="/staff/cycles/{cycle.id}/publish"' not in page


def test_no_publish_confirmation_before_a_tally(make_browser, w, cycle):
    staff = someone(make_browser, w, "staff")
    staff.post(f"/staff/cycles/{cycle.id}/close", {})
    response = staff.get(f"/staff/cycles/{cycle.id}/publish", headers=EN)
    assert response.status_code == 302
    page = staff.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Run the tally first: there is nothing to publish yet." in page
