"""What a visitor sees of a cycle, and residents' proposals: submit, edit, withdraw."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Proposal
from tests import factories
from tests.factories import envelope, project

EN = {"Accept-Language": "en"}
PROPOSAL_LINK = re.compile(r'href="/proposals/(\d+)"')


@pytest.fixture
def w(session):
    return factories.world()


def proposal_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Proposal))


def listed(browser, url: str) -> set[int]:
    """The ids of the proposals a page links to."""
    response = browser.get(url)
    assert response.status_code == 200
    return {int(pid) for pid in PROPOSAL_LINK.findall(response.get_data(as_text=True))}


def fresh(proposal: Proposal) -> Proposal:
    db.session.refresh(proposal)
    return proposal


def draft(cycle, commune, **changes) -> dict:
    form = {"title": "Un banc au port", "description": "Pour s'asseoir face à la mer.",
            "estimated_cost": "2500", "envelope_id": envelope(cycle, commune).id}
    form.update(changes)
    return form


# --- What a visitor sees (spec 1) -----------------------------------------------------------

@pytest.fixture
def ballot(w):
    """A cycle during the vote: projects on the ballot in every envelope, and others not."""
    cycle = factories.cycle(w, Phase.VOTE, amounts=(123_456, 12_345, 34_567))
    alice, bob = w.users["alice"], w.users["bob"]
    projects = {
        "north": project(cycle, w.north, "Parc du nord", 5_000, alice),
        "south": project(cycle, w.south, "Halle du sud", 9_000, bob),
        "shared": project(cycle, None, "Navette", 60_000, bob),
        "rejected": project(cycle, w.north, "Piscine", 8_000, alice, Status.REJECTED),
        "submitted": project(cycle, w.south, "Fontaine", 1_000, bob, Status.SUBMITTED),
        "withdrawn": project(cycle, None, "Tramway", 9_000, bob, Status.WITHDRAWN),
    }
    return cycle, {name: p.id for name, p in projects.items()}


def test_home_shows_the_current_cycle_and_its_envelopes(browser, ballot):
    cycle, _ = ballot
    response = browser.get("/", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert cycle.title in page
    for name in ("Nordville", "Sudville"):
        assert name in page
    for amount in ("123,456", "12,345", "34,567"):  # English number formatting
        assert amount in page


def test_visitor_sees_only_the_projects_on_the_ballot(browser, ballot):
    cycle, ids = ballot
    expected = {ids["north"], ids["south"], ids["shared"]}
    assert listed(browser, "/") == expected
    assert listed(browser, f"/cycles/{cycle.id}") == expected


@pytest.mark.parametrize("url", ["/?commune={commune}", "/cycles/{cycle}?commune={commune}"])
@pytest.mark.parametrize("commune, expected", [
    ("north", {"north", "shared"}),
    ("south", {"south", "shared"}),
])
def test_filter_by_commune_shows_its_projects_and_the_intercommunal_ones(
        browser, w, ballot, url, commune, expected):
    cycle, ids = ballot
    commune_id = getattr(w, commune).id
    shown = listed(browser, url.format(commune=commune_id, cycle=cycle.id))
    assert shown == {ids[name] for name in expected}


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_an_unknown_commune_filter_shows_everything(browser, ballot, value):
    cycle, ids = ballot
    assert listed(browser, f"/cycles/{cycle.id}?commune={value}") == {
        ids["north"], ids["south"], ids["shared"]}


def test_a_commune_of_another_intercommunality_does_not_filter(browser, w, ballot):
    cycle, ids = ballot
    assert listed(browser, f"/cycles/{cycle.id}?commune={w.elsewhere.id}") == {
        ids["north"], ids["south"], ids["shared"]}


def test_during_the_proposal_phase_submitted_proposals_are_listed_too(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    alice = w.users["alice"]
    new = project(cycle, w.north, "Jardin", 3_000, alice, Status.SUBMITTED)
    gone = project(cycle, w.north, "Kiosque", 3_000, alice, Status.WITHDRAWN)
    refused = project(cycle, w.north, "Golf", 3_000, alice, Status.REJECTED)
    shown = listed(browser, f"/cycles/{cycle.id}")
    assert new.id in shown
    assert gone.id not in shown and refused.id not in shown


def test_proposal_page_is_public_but_a_withdrawn_one_is_not(make_browser, w, ballot):
    _, ids = ballot
    visitor, author = make_browser(), make_browser()
    assert visitor.get(f"/proposals/{ids['north']}").status_code == 200
    assert visitor.get(f"/proposals/{ids['withdrawn']}").status_code == 404
    author.login("bob@example.fr")
    assert author.get(f"/proposals/{ids['withdrawn']}").status_code == 200


# --- Submitting (spec 3) --------------------------------------------------------------------

@pytest.fixture
def open_cycle(w):
    return factories.cycle(w, Phase.PROPOSALS)


@pytest.mark.parametrize("commune", ["north", None], ids=["own-commune", "intercommunal"])
def test_resident_submits_a_proposal(browser, w, open_cycle, commune):
    alice = w.users["alice"]
    target = getattr(w, commune) if commune else None
    browser.login("alice@example.fr")
    assert browser.get(f"/cycles/{open_cycle.id}/proposals/new").status_code == 200
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new", draft(
        open_cycle, target, title="  Un banc au port  ", estimated_cost="2500"))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert urlsplit(response.headers["Location"]).path == f"/proposals/{proposal.id}"
    assert proposal.author_id == alice.id
    assert proposal.cycle_id == open_cycle.id
    assert proposal.envelope_id == envelope(open_cycle, target).id
    assert proposal.status == Status.SUBMITTED
    assert proposal.title == "Un banc au port"
    assert proposal.estimated_cost == 2500
    assert proposal.final_cost is None
    assert proposal.id in listed(browser, f"/cycles/{open_cycle.id}/my-proposals")


def test_resident_edits_then_withdraws_their_proposal(browser, w, open_cycle):
    mine = project(open_cycle, w.north, "Banc", 2_000, w.users["alice"], Status.SUBMITTED)
    browser.login("alice@example.fr")
    assert browser.get(f"/proposals/{mine.id}/edit").status_code == 200
    response = browser.post(f"/proposals/{mine.id}/edit", draft(
        open_cycle, None, title="Deux bancs", description="Plus de places.",
        estimated_cost="4100"))
    assert response.status_code == 302
    edited = fresh(mine)
    assert (edited.title, edited.description, edited.estimated_cost) == (
        "Deux bancs", "Plus de places.", 4100)
    assert edited.envelope_id == envelope(open_cycle, None).id
    assert edited.status == Status.SUBMITTED

    response = browser.post(f"/proposals/{mine.id}/withdraw")
    assert response.status_code == 302
    assert fresh(mine).status == Status.WITHDRAWN
    assert mine.id not in listed(browser, f"/cycles/{open_cycle.id}")


def test_visitor_is_sent_to_sign_in_and_nothing_is_saved(browser, open_cycle):
    url = f"/cycles/{open_cycle.id}/proposals/new"
    for response in (browser.get(url), browser.post(url, draft(open_cycle, None))):
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
    assert proposal_count() == 0


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.REVIEW, Phase.VOTE, Phase.COUNTING])
def test_no_proposal_outside_the_proposal_phase(browser, w, phase):
    cycle = factories.cycle(w, phase)
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{cycle.id}/proposals/new", draft(cycle, w.north))
    assert 400 <= response.status_code < 500
    assert proposal_count() == 0


def test_no_proposal_in_another_communes_envelope(browser, w, open_cycle):
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new",
                            draft(open_cycle, w.south), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="envelope_id-error"' in page
    assert "Choose your commune&#39;s envelope or the intercommunal one." in page \
        or "Choose your commune's envelope or the intercommunal one." in page
    assert proposal_count() == 0


def test_no_proposal_in_an_envelope_of_another_cycle(browser, w, open_cycle):
    other = factories.cycle(w, Phase.PROPOSALS)
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new", draft(other, w.north))
    assert response.status_code == 422
    assert proposal_count() == 0


def test_residents_of_another_intercommunality_cannot_propose(browser, w, open_cycle):
    browser.login("zoe@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new", draft(open_cycle, None))
    assert response.status_code == 403
    assert proposal_count() == 0


@pytest.mark.parametrize("cost", ["0", "-5", "abc", "12.5", "1e3", "", "100000001",
                                  "1000000000000", "9" * 30])
def test_cost_must_be_a_sensible_whole_number_of_euros(browser, w, open_cycle, cost):
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new",
                            draft(open_cycle, w.north, estimated_cost=cost))
    assert response.status_code == 422
    assert 'id="estimated_cost-error"' in response.get_data(as_text=True)
    assert proposal_count() == 0


@pytest.mark.parametrize("cost", ["1", "100000000"])
def test_cost_bounds_are_inclusive(browser, w, open_cycle, cost):
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new",
                            draft(open_cycle, w.north, estimated_cost=cost))
    assert response.status_code == 302
    assert db.session.scalar(select(Proposal.estimated_cost)) == int(cost)


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"), ({"title": "x" * 121}, "title"), ({"description": " "},
                                                                  "description"),
    ({"envelope_id": "abc"}, "envelope_id"), ({"envelope_id": ""}, "envelope_id"),
])
def test_incomplete_proposals_are_refused(browser, w, open_cycle, changes, field):
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{open_cycle.id}/proposals/new",
                            draft(open_cycle, w.north, **changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert proposal_count() == 0


# --- Editing and withdrawing: refusals ------------------------------------------------------

@pytest.fixture
def alices(w, open_cycle):
    return project(open_cycle, w.north, "Banc", 2_000, w.users["alice"], Status.SUBMITTED)


def assert_unchanged(proposal, status=Status.SUBMITTED):
    proposal = fresh(proposal)
    assert (proposal.title, proposal.estimated_cost, proposal.status) == ("Banc", 2_000, status)


def test_nobody_else_may_edit_a_proposal(browser, w, open_cycle, alices):
    browser.login("bob@example.fr")
    assert browser.get(f"/proposals/{alices.id}/edit").status_code == 403
    response = browser.post(f"/proposals/{alices.id}/edit",
                            draft(open_cycle, None, title="Volé", estimated_cost="9"))
    assert response.status_code == 403
    assert_unchanged(alices)


def test_not_even_staff_may_edit_a_residents_proposal(browser, w, open_cycle, alices):
    browser.login("staff@example.fr")
    response = browser.post(f"/proposals/{alices.id}/edit", draft(open_cycle, None))
    assert response.status_code == 403
    assert_unchanged(alices)


def test_nobody_else_may_withdraw_a_proposal(browser, alices):
    browser.login("bob@example.fr")
    assert browser.post(f"/proposals/{alices.id}/withdraw").status_code == 403
    assert_unchanged(alices)


def test_withdrawing_needs_a_signed_in_author_and_a_token(browser, alices):
    response = browser.post(f"/proposals/{alices.id}/withdraw")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    browser.login("alice@example.fr")
    assert browser.post(f"/proposals/{alices.id}/withdraw", csrf=False).status_code == 400
    assert_unchanged(alices)


def test_editing_cannot_move_a_proposal_to_another_communes_envelope(
        browser, w, open_cycle, alices):
    browser.login("alice@example.fr")
    response = browser.post(f"/proposals/{alices.id}/edit",
                            draft(open_cycle, w.south, title="Ailleurs"))
    assert response.status_code == 422
    assert_unchanged(alices)
    assert fresh(alices).envelope_id == envelope(open_cycle, w.north).id


def test_editing_refuses_a_bad_cost(browser, w, open_cycle, alices):
    browser.login("alice@example.fr")
    response = browser.post(f"/proposals/{alices.id}/edit",
                            draft(open_cycle, w.north, estimated_cost="0"))
    assert response.status_code == 422
    assert_unchanged(alices)


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTE])
def test_no_edit_or_withdrawal_once_the_proposal_phase_closed(browser, w, phase):
    cycle = factories.cycle(w, phase)
    mine = project(cycle, w.north, "Banc", 2_000, w.users["alice"], Status.SUBMITTED)
    browser.login("alice@example.fr")
    response = browser.post(f"/proposals/{mine.id}/edit",
                            draft(cycle, w.north, title="Trop tard", estimated_cost="99"))
    assert 400 <= response.status_code < 500
    assert_unchanged(mine)
    browser.post(f"/proposals/{mine.id}/withdraw")
    assert_unchanged(mine)


def test_no_edit_or_withdrawal_once_reviewed(browser, w, open_cycle):
    mine = project(open_cycle, w.north, "Banc", 2_000, w.users["alice"], Status.ON_BALLOT)
    browser.login("alice@example.fr")
    response = browser.post(f"/proposals/{mine.id}/edit",
                            draft(open_cycle, w.north, title="Changé"))
    assert response.status_code == 403
    assert_unchanged(mine, Status.ON_BALLOT)
    browser.post(f"/proposals/{mine.id}/withdraw")
    assert_unchanged(mine, Status.ON_BALLOT)


def test_unknown_proposals_are_404(browser, w):
    browser.login("alice@example.fr")
    assert browser.get("/proposals/999999/edit").status_code == 404
    assert browser.post("/proposals/999999/withdraw").status_code == 404
    assert browser.get("/cycles/999999/proposals/new").status_code == 404
