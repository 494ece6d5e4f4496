"""No count before publication: during the vote nobody, admins included, sees any count or
partial result through any page, export or API; after the vote, before publication, only staff
and council see the preview. Every results and API route is walked, so a new one is covered."""
import pytest

from budget.domain.phases import Phase
from budget.services import cycles, tally, voting
from tests import factories

ROLES = ["anonymous", "alice", "bob", "staff", "council", "admin", "otherstaff"]
PREVIEWERS = {"staff", "council", "admin"}


def result_urls(app, cycle) -> list[str]:
    envelope_id = cycle.envelopes[0].id
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("results.", "api.")) or "GET" not in rule.methods:
            continue
        if "cycle_id" not in rule.arguments:
            continue
        urls.append(rule.rule.replace("<int:cycle_id>", str(cycle.id))
                    .replace("<int:envelope_id>", str(envelope_id)))
    return urls


@pytest.fixture
def voting_now(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    voting.cast(w.users["alice"], cycle, [park.id])
    return w, cycle


def visit(make_browser, role, url):
    browser = make_browser()
    if role != "anonymous":
        browser.login(f"{role}@example.fr")
    return browser.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_during_the_vote_nothing_is_counted_anywhere(app, make_browser, voting_now, role):
    w, cycle = voting_now
    for url in result_urls(app, cycle):
        response = visit(make_browser, role, url)
        if "/results" in url or url.endswith((".pb", ".json", ".csv", ".xlsx", ".pdf")) \
                or url.endswith("/receipt"):
            assert response.status_code == 404, (role, url)
        else:  # the public description of the cycle and its proposals: no counts in it
            body = response.get_data(as_text=True)
            assert '"votes"' not in body and '"ballots"' not in body, (role, url)
    dashboard = visit(make_browser, role, f"/staff/cycles/{cycle.id}")
    assert "ballots were cast" not in dashboard.get_data(as_text=True)
    assert "bulletins ont été déposés" not in dashboard.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_before_publication_only_staff_and_council_see_the_preview(app, make_browser,
                                                                  voting_now, role):
    w, cycle = voting_now
    cycles.close_vote(w.users["staff"], cycle)
    tally.run_tally(w.users["staff"], cycle)
    for url in result_urls(app, cycle):
        status = visit(make_browser, role, url).status_code
        # These wait for publication, for everyone: the receipt check, the API, and what a
        # council deliberates on (the annex, the deliberations: a preview is not adopted).
        if url.endswith(("/receipt", "/api/v1/cycles/%d/results" % cycle.id,
                         "/deliberation-annex.pdf", "/deliberation-annex.xlsx")) \
                or "/deliberations/" in url:
            assert status == 404, (role, url)
        elif "/api/" not in url:
            assert status == (200 if role in PREVIEWERS else 404), (role, url, status)
