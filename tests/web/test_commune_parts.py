"""Commune staff's part of cycles: their envelope's amount and ballot limits in an
intercommunal cycle (within the total agreed), and their commune's own cycle."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Ballot, BudgetCycle, Envelope
from budget.services import ballot_box
from tests import factories
from tests.factories import project
from tests.web.test_cycle_setup import form, new_url

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


def envelope_url(cycle, envelope) -> str:
    return f"/staff/cycles/{cycle.id}/envelopes/{envelope.id}"


def part(amount="12000", own_limits=True, **limits) -> dict:
    data = {"amount": amount, "min_choices": "", "max_choices": "", "save": "1",
            "min_share_percent": "", "total_points": "", "max_per_project": ""}
    if own_limits:
        data["own_limits"] = "y"
    data.update(limits)
    return data


def state(envelope) -> tuple:
    db.session.refresh(envelope)
    return envelope.amount, envelope.vote_params


# --- A commune's part of an intercommunal cycle ----------------------------------------------

def test_commune_staff_set_their_envelope_and_its_limits(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    north = factories.envelope(cycle, w.north)
    browser.login("northclerk@example.fr")
    dashboard = browser.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert f'href="{envelope_url(cycle, north)}"' in dashboard
    assert browser.get(envelope_url(cycle, north)).status_code == 200
    response = browser.post(envelope_url(cycle, north), part(max_choices="3"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert state(north) == (12_000, {"min_choices": 0, "max_choices": 3})
    assert cycle.format_for(north).max_choices == 3
    assert cycle.format_for(factories.envelope(cycle, None)).max_choices == 2


def test_unticked_the_envelope_follows_the_cycles_limits(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    north = factories.envelope(cycle, w.north)
    north.vote_params = {"max_choices": 4}
    db.session.commit()
    browser.login("northclerk@example.fr")
    assert browser.post(envelope_url(cycle, north),
                        part(own_limits=False, max_choices="9")).status_code == 302
    assert state(north) == (12_000, None)


@pytest.mark.parametrize("who, commune", [("northclerk", "south"), ("northclerk", "shared"),
                                          ("southclerk", "north"), ("otherstaff", "north"),
                                          ("council", "north"), ("alice", "north")])
def test_nobody_sets_another_communes_envelope(browser, w, who, commune):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    envelope = factories.envelope(cycle, {"north": w.north, "south": w.south}.get(commune))
    before = state(envelope)
    browser.login(f"{who}@example.fr")
    assert browser.get(envelope_url(cycle, envelope)).status_code == 403
    assert browser.post(envelope_url(cycle, envelope), part()).status_code == 403
    assert state(envelope) == before


def test_intercommunal_staff_set_any_envelope_of_their_territory(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    shared = factories.envelope(cycle, None)
    browser.login("staff@example.fr")
    assert browser.post(envelope_url(cycle, shared), part("90000", max_choices="1")
                        ).status_code == 302
    assert state(shared) == (90_000, {"min_choices": 0, "max_choices": 1})


def test_the_envelopes_stay_within_the_total_agreed(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)  # 100 000 + 10 000 + 30 000
    cycle.total_amount = 150_000
    db.session.commit()
    north = factories.envelope(cycle, w.north)
    browser.login("northclerk@example.fr")
    response = browser.post(envelope_url(cycle, north), part("20001"), headers=EN)
    assert response.status_code == 422
    assert "more than the €150,000 agreed" in response.get_data(as_text=True)
    assert 'id="amount-error"' in response.get_data(as_text=True)
    assert state(north) == (10_000, None)
    assert browser.post(envelope_url(cycle, north), part("20000")).status_code == 302


@pytest.mark.parametrize("limits", [{"max_choices": "0"}, {"min_choices": "3", "max_choices": "2"},
                                    {"min_choices": "-1"}])
def test_bad_limits_are_refused_and_nothing_changes(browser, w, limits):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    north = factories.envelope(cycle, w.north)
    browser.login("northclerk@example.fr")
    response = browser.post(envelope_url(cycle, north), part("15000", **limits))
    assert response.status_code == 422
    assert state(north) == (10_000, None)


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.COUNTING])
def test_the_envelopes_are_frozen_once_the_vote_opens(browser, w, phase):
    cycle = factories.cycle(w, phase)
    north = factories.envelope(cycle, w.north)
    browser.login("northclerk@example.fr")
    page = browser.get(envelope_url(cycle, north))
    assert page.status_code == 200 and "<form" not in page.get_data(as_text=True).split(
        "<main", 1)[-1]
    assert 400 <= browser.post(envelope_url(cycle, north), part()).status_code < 500
    assert state(north) == (10_000, None)


def test_a_new_vote_format_drops_the_communes_limits(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    north = factories.envelope(cycle, w.north)
    north.vote_params = {"max_choices": 4}
    db.session.commit()
    browser.login("staff@example.fr")
    response = browser.post(f"/staff/cycles/{cycle.id}/edit",
                            form(w, vote_format="knapsack", min_share_percent="0",
                                 tally_rule="greedy"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert state(north) == (10_000, None)


def test_the_ballot_and_the_server_use_the_envelopes_own_limits(browser, w):
    cycle = factories.cycle(w, Phase.VOTE, vote_params={"max_choices": 1})
    north = factories.envelope(cycle, w.north)
    north.vote_params = {"max_choices": 2}
    db.session.commit()
    ids = [project(cycle, w.north, f"Projet {n}", 1000, w.users["bob"]).id for n in range(3)]
    shared = [project(cycle, None, f"Commun {n}", 1000, w.users["bob"]).id for n in range(2)]
    browser.login("alice@example.fr")
    page = browser.get(f"/cycles/{cycle.id}/vote", headers=EN).get_data(as_text=True)
    assert "Choose up to 2 projects." in page and "Choose up to 1 projects." in page
    refused = browser.post(f"/cycles/{cycle.id}/vote/review",
                           {"project": [str(i) for i in ids[:2] + shared]}, headers=EN)
    assert refused.status_code == 422
    assert "Choose at most 1 projects" in refused.get_data(as_text=True)
    accepted = browser.post(f"/cycles/{cycle.id}/vote/review",
                            {"project": [str(i) for i in ids[:2] + shared[:1]]})
    assert accepted.status_code == 200


# --- A commune's own cycle -------------------------------------------------------------------

def commune_form(w, commune) -> dict:
    data = form(w)
    del data["intercommunal_amount"], data[f"amount_{w.south.id}"], data[f"amount_{w.north.id}"]
    data[f"amount_{commune.id}"] = "25000"
    return data


@pytest.mark.parametrize("who", ["northclerk", "staff", "admin"])
def test_a_commune_runs_a_cycle_of_its_own(browser, w, who):
    browser.login(f"{who}@example.fr")
    url = f"{new_url(w)}?commune={w.north.id}"
    assert browser.get(url).status_code == 200
    response = browser.post(url, commune_form(w, w.north))
    assert response.status_code == 302, response.get_data(as_text=True)
    cycle = db.session.scalars(select(BudgetCycle)).one()
    assert cycle.commune_id == w.north.id
    assert [(e.commune_id, e.amount) for e in cycle.envelopes] == [(w.north.id, 25_000)]


@pytest.mark.parametrize("who, commune", [("northclerk", "south"), ("southclerk", "north"),
                                          ("otherstaff", "north"), ("council", "north")])
def test_nobody_creates_another_communes_cycle(browser, w, who, commune):
    target = w.north if commune == "north" else w.south
    browser.login(f"{who}@example.fr")
    url = f"{new_url(w)}?commune={target.id}"
    assert browser.get(url).status_code == 403
    assert browser.post(url, commune_form(w, target)).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(BudgetCycle)) == 0


def test_commune_staff_cannot_create_an_intercommunal_cycle(browser, w):
    browser.login("northclerk@example.fr")
    assert browser.get(new_url(w)).status_code == 403
    assert browser.post(new_url(w), form(w)).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Envelope)) == 0


def test_a_commune_of_another_territory_is_not_found(browser, w):
    browser.login("staff@example.fr")
    assert browser.get(f"{new_url(w)}?commune={w.elsewhere.id}").status_code == 404


commune_cycle = factories.commune_cycle


def test_only_the_communes_residents_vote_in_its_own_cycle(make_browser, w):
    cycle = commune_cycle(w, Phase.VOTE)
    proposal = project(cycle, w.north, "Préau de l'école", 5000, w.users["alice"])
    alice, bob = make_browser(), make_browser()
    alice.login("alice@example.fr")
    bob.login("bob@example.fr")
    ballot = alice.get(f"/cycles/{cycle.id}/vote", headers=EN).get_data(as_text=True)
    assert "Préau de l&#39;école" in ballot and "intercommunal projects" not in ballot
    assert bob.get(f"/cycles/{cycle.id}/vote").status_code == 403
    assert bob.post(f"/cycles/{cycle.id}/vote/confirm",
                    {"project": [str(proposal.id)]}).status_code == 403
    assert alice.post(f"/cycles/{cycle.id}/vote/confirm",
                      {"project": [str(proposal.id)]}).status_code == 200  # the receipt
    ballot_box.mix()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_only_the_communes_residents_propose_in_its_own_cycle(make_browser, w):
    cycle = commune_cycle(w, Phase.PROPOSALS)
    bob = make_browser()
    bob.login("bob@example.fr")
    assert bob.get(f"/cycles/{cycle.id}/proposals/new").status_code == 403


def test_commune_staff_run_their_own_cycle_to_the_end(browser, w):
    cycle = commune_cycle(w, Phase.COUNTING)
    project(cycle, w.north, "Bancs", 5000, w.users["alice"], Status.ON_BALLOT)
    browser.login("northclerk@example.fr")
    assert browser.post(f"/staff/cycles/{cycle.id}/tally", {}).status_code == 302
    run = cycle.tally_runs[-1]
    assert browser.post(f"/staff/cycles/{cycle.id}/publish",
                        {"run_id": str(run.id)}).status_code == 302
    db.session.refresh(cycle)
    assert cycle.phase() == Phase.RESULTS


@pytest.mark.parametrize("who", ["southclerk", "otherstaff"])
def test_other_staff_have_no_part_in_a_communes_cycle(browser, w, who):
    cycle = commune_cycle(w, Phase.COUNTING)
    browser.login(f"{who}@example.fr")
    assert browser.get(f"/staff/cycles/{cycle.id}").status_code == 403
    assert browser.get(f"/staff/cycles/{cycle.id}/edit").status_code == 403
    assert browser.post(f"/staff/cycles/{cycle.id}/tally", {}).status_code in (302, 403)
    assert cycle.tally_runs == []


def test_the_vote_cannot_be_opened_by_editing_its_start_into_the_past(browser, w):
    """Saving would open the vote at once and freeze a ballot nobody checked."""
    cycle = factories.cycle(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = browser.post(f"/staff/cycles/{cycle.id}/edit",
                            form(w, offsets=(-20, -5, -1, 10)), headers=EN)
    assert response.status_code == 422
    assert 'id="vote_start-error"' in response.get_data(as_text=True)
    db.session.refresh(cycle)
    assert cycle.phase() == Phase.REVIEW
