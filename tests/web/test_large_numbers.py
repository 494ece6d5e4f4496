"""Numbers too large for the database (or for int() itself) where a request names an id or a
count: a clear refusal or a page not found, never a server error, and nothing written.

2**31 overflows PostgreSQL's INTEGER, 2**63 SQLite's, and int() refuses more than 4,300
digits; "²" passes str.isdigit() but not int(). Run on SQLite and on PostgreSQL
(BUDGET_TEST_DATABASE_URL)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Participation, User
from tests import factories
from tests.conftest import someone
from tests.factories import project

HUGE = ["2147483648", str(2**63), "9" * 30, "9" * 5000, "²"]


@pytest.fixture
def w(session):
    return factories.world()


@pytest.mark.parametrize("number", HUGE)
def test_registering_with_a_huge_commune_id(w, make_browser, number):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = someone(make_browser, w, None).post("/register", {
        "email": "new@example.fr", "display_name": "Nouvelle", "home_commune_id": number,
        "password": "correct horse battery", "confirm": "correct horse battery"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == before


@pytest.mark.parametrize("field", ["value", "key"])
@pytest.mark.parametrize("number", HUGE)
def test_a_cumulative_ballot_with_a_huge_number(w, make_browser, field, number):
    cycle = factories.cycle(w, Phase.VOTE, vote_format="cumulative",
                            vote_params={"total_points": 10, "max_per_project": 6})
    park = project(cycle, w.north, "Parc", 6_000, w.users["bob"])
    sent = {f"points-{park.id}": number} if field == "value" else {f"points-{number}": "1"}
    alice = someone(make_browser, w, "alice")
    for step in ("review", "confirm"):
        assert alice.post(f"/cycles/{cycle.id}/vote/{step}", sent).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


@pytest.mark.parametrize("number", HUGE)
def test_publishing_a_run_of_a_huge_number(w, make_browser, number):
    cycle = factories.cycle(w, Phase.COUNTING)
    response = someone(make_browser, w, "staff").post(f"/staff/cycles/{cycle.id}/publish",
                                                      {"run_id": number})
    assert response.status_code == 400  # as for any malformed run id
    assert cycle.published_run is None


@pytest.mark.parametrize("number", HUGE)
def test_merging_into_a_proposal_of_a_huge_number(w, make_browser, number):
    cycle = factories.cycle(w, Phase.REVIEW)
    bench = project(cycle, w.north, "Banc", 800, w.users["alice"], Status.SUBMITTED)
    response = someone(make_browser, w, "staff").post(
        f"/staff/proposals/{bench.id}/review", {"status": "merged", "merged_into_id": number})
    assert response.status_code == 422
    db.session.refresh(bench)
    assert bench.status == Status.SUBMITTED


@pytest.mark.parametrize("number", HUGE)
def test_giving_a_workplace_of_a_huge_number(w, make_browser, number):
    bob = w.users["bob"]
    response = someone(make_browser, w, "admin").post(
        f"/admin/accounts/{bob.id}", {"role": "commune_staff", "workplace": f"commune-{number}"})
    assert response.status_code == 422
    db.session.refresh(bob)
    assert bob.role.value == "citizen"


@pytest.mark.parametrize("query", [*({"actor": n} for n in HUGE), *({"cycle": n} for n in HUGE),
                                   *({"page": n} for n in HUGE)])
def test_filtering_the_audit_log_by_a_huge_number(w, make_browser, query):
    response = someone(make_browser, w, "admin").get("/admin/audit", query_string=query)
    assert response.status_code in (200, 422)


@pytest.mark.parametrize("number", HUGE)
def test_pages_asked_for_a_huge_commune_or_id(w, make_browser, number):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    staff = someone(make_browser, w, "staff")
    assert staff.get(f"/cycles/{cycle.id}", query_string={"commune": number}).status_code == 200
    assert staff.get(f"/staff/cycles/{cycle.id}",
                     query_string={"commune": number}).status_code == 200
    assert staff.get(f"/staff/territories/{w.epci.id}/cycles/new",
                     query_string={"commune": number}).status_code in (200, 404)
    assert staff.get(f"/proposals/{number}").status_code == 404
