"""Residents support proposals from the browser during the supports phase and withdraw; the
count is public (page, cards, API, sort); staff set a threshold in the cycle setup and close
the phase from a page that says what will happen; the left-out proposals say why."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.mail import outbox
from budget.models import AuditEntry, BudgetCycle, Theme
from budget.models.time import utcnow
from tests import factories
from tests.conftest import someone
from tests.web.test_cycle_setup import form as cycle_form
from tests.web.test_cycle_setup import local


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def someone_as(make_browser, w):
    return lambda who: someone(make_browser, w, who)


@pytest.fixture
def scene(w):
    cycle = factories.cycle(w, Phase.SUPPORTS)
    park = factories.project(cycle, w.north, "Parc des Tilleuls", 5_000, w.users["bob"],
                             Status.SUBMITTED)
    return cycle, park


def page_of(browser, proposal) -> str:
    return browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_a_resident_supports_then_withdraws_and_the_count_is_public(scene, someone_as):
    cycle, park = scene
    alice, visitor = someone_as("alice"), someone_as(None)
    assert "Soutenir cette proposition" in page_of(alice, park)
    response = alice.post(f"/proposals/{park.id}/support")
    assert response.status_code == 302
    assert "1 habitant soutient cette proposition." in page_of(visitor, park)
    assert "Retirer mon soutien" in page_of(alice, park)
    assert "1 soutien" in visitor.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    api = visitor.get(f"/api/v1/cycles/{cycle.id}/proposals").get_json()
    assert [p["support_count"] for p in api["proposals"]] == [1]
    alice.post(f"/proposals/{park.id}/support/withdraw")
    assert "0 habitant soutient cette proposition." in page_of(visitor, park)


def test_a_resident_of_another_commune_is_refused_and_sees_no_button(scene, someone_as):
    _, park = scene
    bob = someone_as("bob")  # Sudville; the park is Nordville's
    assert "Soutenir cette proposition" not in page_of(bob, park)
    assert bob.post(f"/proposals/{park.id}/support").status_code == 403


def test_a_cycle_without_supports_phase_shows_no_supports(w, someone_as):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"], Status.SUBMITTED)
    alice = someone_as("alice")
    assert "Soutiens" not in page_of(alice, park)
    alice.post(f"/proposals/{park.id}/support")
    assert "habitant soutient" not in page_of(alice, park)


def test_the_list_sorts_by_most_supported(scene, someone_as, w):
    cycle, park = scene
    other = factories.project(cycle, None, "Aire de jeux", 1_000, w.users["bob"],
                              Status.SUBMITTED)
    someone_as("bob").post(f"/proposals/{other.id}/support")
    api = someone_as(None).get(f"/api/v1/cycles/{cycle.id}/proposals?sort=most_supported")
    assert [p["title"] for p in api.get_json()["proposals"]] == ["Aire de jeux",
                                                                   "Parc des Tilleuls"]


def test_staff_set_a_supports_phase_and_its_threshold_in_the_cycle_setup(w, someone_as):
    staff = someone_as("staff")
    response = staff.post(f"/staff/territories/{w.epci.id}/cycles/new", cycle_form(
        w, supports_start=local(5), support_threshold="top", support_threshold_value="3"))
    assert response.status_code == 302, response.get_data(as_text=True)
    made = db.session.scalars(select(BudgetCycle)).one()
    assert made.supports_start is not None
    assert made.support_threshold == {"kind": "top", "value": 3}
    refused = staff.post(f"/staff/territories/{w.epci.id}/cycles/new", cycle_form(
        w, support_threshold="count", support_threshold_value="5"))
    assert refused.status_code == 422
    assert "Un seuil demande une phase de soutiens" in refused.get_data(as_text=True)
    late = staff.post(f"/staff/territories/{w.epci.id}/cycles/new", cycle_form(
        w, supports_start=local(15)))
    assert late.status_code == 422


def test_staff_close_the_supports_phase_after_a_page_that_says_what_will_happen(
        scene, someone_as, w):
    cycle, park = scene
    kept = factories.project(cycle, w.north, "Fontaine", 2_000, w.users["alice"],
                             Status.SUBMITTED)
    someone_as("alice").post(f"/proposals/{kept.id}/support")
    cycle.review_start = utcnow() - timedelta(hours=1)
    cycle.support_threshold = {"kind": "count", "value": 1}
    db.session.commit()
    staff = someone_as("staff")
    dashboard = staff.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert "Clore la phase de soutiens" in dashboard
    confirm = staff.get(f"/staff/cycles/{cycle.id}/supports/close").get_data(as_text=True)
    assert "1 proposition sera marquée" in confirm
    before = len(outbox())
    response = staff.post(f"/staff/cycles/{cycle.id}/supports/close")
    assert response.status_code == 302
    db.session.expire_all()
    assert park.status == Status.UNSUPPORTED and kept.status == Status.SUBMITTED
    [mail] = outbox()[before:]
    assert mail["To"] == "bob@example.fr"
    page = page_of(someone_as(None), park)
    assert "Non retenue (soutiens insuffisants)" in page
    assert "au moins 1 soutien" in page
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "cycle.close_supports")).one()
    again = staff.post(f"/staff/cycles/{cycle.id}/supports/close")
    assert again.status_code == 302
    assert len(outbox()) == before + 1


def queue_rows(browser, cycle) -> dict[str, list[str]]:
    """The staff's review queue: proposal title -> its row's cells."""
    html = browser.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    rows = re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]*)</a></th>(.*?)</tr>', html, re.S)
    return {title: [re.sub(r"<[^>]+>|\s+", " ", cell).strip()
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
            for title, cells in rows}


def test_the_review_queue_shows_themes_supports_and_the_threshold_before_and_after_closing(
        scene, someone_as, w):
    cycle, park = scene
    green = Theme(cycle_id=cycle.id, name="Nature", icon="tree", description="")
    db.session.add(green)
    park.themes = [green]
    fountain = factories.project(cycle, w.north, "Fontaine", 2_000, w.users["alice"],
                                 Status.SUBMITTED)
    cycle.support_threshold = {"kind": "top", "value": 1}
    factories.user("nina@example.fr", w.north)
    db.session.commit()
    someone_as("alice").post(f"/proposals/{fountain.id}/support")
    someone_as("nina").post(f"/proposals/{fountain.id}/support")
    someone_as("alice").post(f"/proposals/{park.id}/support")
    staff = someone_as("staff")
    # The columns: envelope, status, cost, themes, supports, threshold.
    before = queue_rows(staff, cycle)
    assert before["Parc des Tilleuls"][3:] == ["Nature", "1", "Non atteint"]
    assert before["Fontaine"][3:] == ["—", "2", "Atteint"]
    cycle.review_start = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert staff.post(f"/staff/cycles/{cycle.id}/supports/close").status_code == 302
    after = queue_rows(staff, cycle)
    assert after["Parc des Tilleuls"][1:] == ["Non retenue (soutiens insuffisants)",
                                              after["Parc des Tilleuls"][2], "Nature", "1",
                                              "Non atteint"]
    assert after["Fontaine"][-1] == "Atteint"


def test_the_review_queue_has_no_threshold_column_when_supports_only_inform(scene,
                                                                           someone_as):
    cycle, _park = scene
    assert cycle.support_threshold is None
    html = someone_as("staff").get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert "Soutiens" in html and "Seuil</th>" not in html
