"""Staff set up a budget cycle from the browser: create it, edit it until the vote opens."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase, Schedule
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, TallyRun
from budget.models.time import to_local, utcnow
from tests import factories
from tests.factories import project

EN = {"Accept-Language": "en"}
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def w(session):
    return factories.world()


def local(days: float) -> str:
    """A date-time `days` from now as a French local time typed in the form."""
    return to_local(utcnow() + timedelta(days=days)).strftime(LOCAL)


def form(w, offsets=(-1, 10, 20, 30), **changes) -> dict:
    data = {
        "title": "Budget 2027", "description": "Vos idées pour le territoire.",
        "proposals_start": local(offsets[0]), "review_start": local(offsets[1]),
        "vote_start": local(offsets[2]), "vote_end": local(offsets[3]),
        "vote_format": "approval", "min_choices": "1", "max_choices": "3",
        "min_share_percent": "", "total_points": "", "max_per_project": "",
        "tally_rule": "mes-add1", "intercommunal_amount": "100000",
        f"amount_{w.north.id}": "10000", f"amount_{w.south.id}": "30000", "save": "1",
    }
    data.update(changes)
    return data


def new_url(w) -> str:
    return f"/staff/territories/{w.epci.id}/cycles/new"


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(BudgetCycle)),
            db.session.scalar(select(func.count()).select_from(Envelope)))


def amounts(cycle: BudgetCycle) -> dict:
    db.session.refresh(cycle)
    return {e.commune_id: e.amount for e in cycle.envelopes}


def snapshot(cycle: BudgetCycle) -> tuple:
    db.session.refresh(cycle)
    return (cycle.title, cycle.schedule, cycle.vote_format, cycle.vote_params, cycle.tally_rule,
            amounts(cycle))


# --- Creating -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff", "admin"])
def test_staff_create_a_cycle_with_its_envelopes(browser, w, who):
    browser.login(f"{who}@example.fr")
    assert browser.get(new_url(w)).status_code == 200
    response = browser.post(new_url(w), form(w))
    assert response.status_code == 302, response.get_data(as_text=True)
    cycle = db.session.scalars(select(BudgetCycle)).one()
    assert urlsplit(response.headers["Location"]).path == f"/staff/cycles/{cycle.id}"
    assert (cycle.intercommunality_id, cycle.title) == (w.epci.id, "Budget 2027")
    assert (cycle.vote_format, cycle.vote_params, cycle.tally_rule) == (
        "approval", {"min_choices": 1, "max_choices": 3}, "mes-add1")
    assert amounts(cycle) == {None: 100_000, w.north.id: 10_000, w.south.id: 30_000}
    assert cycle.phase() == Phase.PROPOSALS


def test_dates_are_typed_in_paris_time_and_stored_in_utc(browser, w):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(
        w, proposals_start="2030-01-15T10:00", review_start="2030-04-02T12:00",
        vote_start="2030-07-01T10:00", vote_end="2030-10-27T02:30"))
    assert response.status_code == 302
    cycle = db.session.scalars(select(BudgetCycle)).one()
    assert cycle.schedule == Schedule(datetime(2030, 1, 15, 9), datetime(2030, 4, 2, 10),
                              datetime(2030, 7, 1, 8), datetime(2030, 10, 27, 0, 30))


@pytest.mark.parametrize("vote_format, params, rule", [
    ("knapsack", {"min_share_percent": "50"}, "greedy"),
    ("cumulative", {"total_points": "10", "max_per_project": "4"}, "mes-points"),
])
def test_other_vote_formats_keep_their_parameters(browser, w, vote_format, params, rule):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(w, vote_format=vote_format, tally_rule=rule,
                                             **params))
    assert response.status_code == 302
    cycle = db.session.scalars(select(BudgetCycle)).one()
    assert cycle.vote_params == {name: int(value) for name, value in params.items()}
    assert cycle.ballot_format.name == vote_format


def test_fill_the_commune_amounts_in_proportion_to_population(browser, w):
    browser.login("staff@example.fr")
    data = form(w, proportional_total="40001", fill="1",
                **{f"amount_{w.north.id}": "5", f"amount_{w.south.id}": "5"})
    del data["save"]
    response = browser.post(new_url(w), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # 1000 and 3000 inhabitants: 10 000.25 and 30 000.75, the euro left goes to the larger.
    assert re.search(rf'name="amount_{w.north.id}"[^>]*value="10000"', page)
    assert re.search(rf'name="amount_{w.south.id}"[^>]*value="30001"', page)
    assert counts() == (0, 0)


def test_the_page_lists_every_commune_of_the_territory(browser, w):
    browser.login("staff@example.fr")
    page = browser.get(new_url(w)).get_data(as_text=True)
    assert f'name="amount_{w.north.id}"' in page and f'name="amount_{w.south.id}"' in page
    assert f'name="amount_{w.elsewhere.id}"' not in page


# --- Refusals: nothing is written -----------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"review_start": local(-2)}, "review_start"),
    ({"vote_end": local(15)}, "vote_end"),
    ({"vote_start": ""}, "vote_start"),
    ({"vote_start": "demain"}, "vote_start"),
    ({"tally_rule": "coin-toss"}, "tally_rule"),
    ({"tally_rule": "mes-points"}, "tally_rule"),
    ({"min_choices": "4", "max_choices": "2"}, "max_choices"),
    ({"min_choices": "-1"}, "min_choices"),
    ({"vote_format": "knapsack", "min_share_percent": "150"}, "min_share_percent"),
    ({"vote_format": "cumulative", "total_points": ""}, "total_points"),
    ({"vote_format": "cumulative", "total_points": "5", "max_per_project": "9"},
     "max_per_project"),
    ({"vote_format": "borda"}, "vote_format"),
    ({"intercommunal_amount": "0"}, "intercommunal_amount"),
    ({"title": "  "}, "title"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_bad_configurations_are_refused_next_to_their_field(browser, w, changes, field):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(w, **changes), headers=EN)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_a_commune_amount_must_be_positive(browser, w):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(w, **{f"amount_{w.south.id}": "0"}))
    assert response.status_code == 422
    assert f'id="amount_{w.south.id}-error"' in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_every_date_problem_shows_at_once(browser, w):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(w, offsets=(30, 20, 10, 5)), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("review_start", "vote_start", "vote_end"):
        assert f'id="{field}-error"' in page
    assert "The vote must end after it starts." in page
    assert counts() == (0, 0)


@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_only_staff_of_the_territory_create_cycles(browser, w, who):
    browser.login(f"{who}@example.fr")
    assert browser.get(new_url(w)).status_code == 403
    assert browser.post(new_url(w), form(w)).status_code == 403
    assert counts() == (0, 0)


def test_visitors_are_sent_to_sign_in(browser, w):
    response = browser.post(new_url(w), form(w))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert counts() == (0, 0)


def test_creating_needs_the_csrf_token(browser, w):
    browser.login("staff@example.fr")
    assert browser.post(new_url(w), form(w), csrf=False).status_code == 400
    assert counts() == (0, 0)


# --- Editing --------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW])
def test_staff_edit_the_cycle_before_the_vote(browser, w, phase):
    cycle = factories.cycle(w, phase)
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/cycles/{cycle.id}/edit")
    assert page.status_code == 200
    assert 'value="Budget test"' in page.get_data(as_text=True)
    offsets = factories.PHASE_OFFSETS[phase]
    response = browser.post(f"/staff/cycles/{cycle.id}/edit", form(
        w, offsets=(offsets[0], offsets[1], offsets[2] + 1, offsets[3] + 1),
        title="Budget revu", vote_format="knapsack", tally_rule="greedy",
        intercommunal_amount="90000"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert snapshot(cycle)[0] == "Budget revu"
    assert (cycle.vote_format, cycle.vote_params) == ("knapsack", {"min_share_percent": 0})
    assert amounts(cycle) == {None: 90_000, w.north.id: 10_000, w.south.id: 30_000}
    assert counts() == (1, 3)


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.COUNTING])
def test_the_configuration_is_frozen_once_the_vote_opens(browser, w, phase):
    cycle = factories.cycle(w, phase)
    before = snapshot(cycle)
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/cycles/{cycle.id}/edit", headers=EN)
    assert page.status_code == 200
    assert "frozen" in page.get_data(as_text=True)
    response = browser.post(f"/staff/cycles/{cycle.id}/edit", form(w, title="Trop tard"),
                            headers=EN)
    assert response.status_code == 422
    assert "cannot be done in the current phase" in response.get_data(as_text=True)
    assert snapshot(cycle) == before


def test_a_bad_edit_changes_nothing(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    before = snapshot(cycle)
    browser.login("staff@example.fr")
    response = browser.post(f"/staff/cycles/{cycle.id}/edit", form(
        w, title="Budget revu", tally_rule="nope", **{f"amount_{w.north.id}": "1"}))
    assert response.status_code == 422
    assert snapshot(cycle) == before


@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_only_staff_of_the_territory_edit(browser, w, who):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    before = snapshot(cycle)
    browser.login(f"{who}@example.fr")
    assert browser.get(f"/staff/cycles/{cycle.id}/edit").status_code == 403
    assert browser.post(f"/staff/cycles/{cycle.id}/edit", form(w)).status_code == 403
    assert snapshot(cycle) == before


# --- Lists and links ------------------------------------------------------------------------

def test_staff_list_their_territory_cycles(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    page = browser.get("/staff/cycles").get_data(as_text=True)
    assert f'href="/staff/cycles/{cycle.id}/edit"' in page
    assert f'href="{new_url(w)}"' in page
    dashboard = browser.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert f'href="/staff/cycles/{cycle.id}/edit"' in dashboard
    assert 'href="/staff/cycles"' in dashboard


def test_other_staff_do_not_see_the_territory(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    browser.login("otherstaff@example.fr")
    page = browser.get("/staff/cycles").get_data(as_text=True)
    assert f'/staff/cycles/{cycle.id}/edit' not in page
    assert new_url(w) not in page


@pytest.mark.parametrize("who", ["alice", "council"])
def test_the_list_is_for_staff(browser, w, who):
    browser.login(f"{who}@example.fr")
    assert browser.get("/staff/cycles").status_code == 403


# --- The whole journey ----------------------------------------------------------------------

def test_a_cycle_set_up_in_the_browser_runs_to_its_results(make_browser, w):
    staff, resident = make_browser(), make_browser()
    staff.login("staff@example.fr")
    assert staff.post(new_url(w), form(w, tally_rule="greedy")).status_code == 302
    cycle = db.session.scalars(select(BudgetCycle)).one()
    park = project(cycle, w.north, "Parc", 8_000, w.users["alice"])
    bus = project(cycle, None, "Navette", 60_000, w.users["bob"])
    # Staff bring the vote forward to an hour from now (not into the past: saving would open
    # it at once), then the hour passes.
    response = staff.post(f"/staff/cycles/{cycle.id}/edit",
                          form(w, offsets=(-3, -2, 1 / 24, 10), tally_rule="greedy"))
    assert response.status_code == 302
    db.session.refresh(cycle)
    assert cycle.phase() == Phase.REVIEW
    cycle.vote_start = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert cycle.phase() == Phase.VOTE

    resident.login("alice@example.fr")
    response = resident.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id, bus.id]})
    assert response.status_code in (200, 302), response.get_data(as_text=True)

    assert staff.post(f"/staff/cycles/{cycle.id}/close").status_code == 302
    assert staff.post(f"/staff/cycles/{cycle.id}/tally").status_code == 302
    run = db.session.scalars(select(TallyRun).where(TallyRun.cycle_id == cycle.id)).one()
    assert run.rule == "greedy"
    assert staff.post(f"/staff/cycles/{cycle.id}/publish",
                      {"run_id": str(run.id)}).status_code == 302
    db.session.refresh(cycle)
    assert cycle.phase() == Phase.RESULTS
    page = resident.get(f"/cycles/{cycle.id}/results").get_data(as_text=True)
    assert "Parc" in page and "Navette" in page


# --- Comment phases -------------------------------------------------------------------------

def test_staff_choose_the_phases_residents_comment_in(browser, w):
    browser.login("staff@example.fr")
    page = browser.get(new_url(w)).get_data(as_text=True)
    ticked = re.findall(r'<input checked id="comment_phases-\d" name="comment_phases" '
                        r'type="checkbox" value="(\w+)">', page)
    assert ticked == ["proposals", "review"]  # a new cycle's default
    response = browser.post(new_url(w), form(w, comment_phases=["review", "vote"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    cycle = db.session.scalars(select(BudgetCycle)).one()
    assert cycle.comment_phases == ["review", "vote"]
    edited = browser.post(f"/staff/cycles/{cycle.id}/edit", form(w, comment_phases=[]))
    assert edited.status_code == 302
    db.session.refresh(cycle)
    assert cycle.comment_phases == []


def test_an_unknown_comment_phase_is_refused(browser, w):
    browser.login("staff@example.fr")
    response = browser.post(new_url(w), form(w, comment_phases=["upcoming"]))
    assert response.status_code == 422 and counts() == (0, 0)
