"""Cumulative ballots on the web: a points field per project, the review shows the points, the
confirmation stores them; the server refuses whatever the browser sends that breaks the rules,
and records nothing then."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BallotSelection
from budget.services import ballot_box
from tests import factories
from tests.web.test_voting import assert_nothing_recorded, counts, make_ballot, url

EN = {"Accept-Language": "en"}
POINTS_FIELD = re.compile(r'<input type="number" id="points-(\d+)" name="points-\1"\s+'
                          r'inputmode="numeric" min="0"')


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def vote(w):
    return make_ballot(w, vote_format="cumulative",
                       vote_params={"total_points": 10, "max_per_project": 6})


def points(ids, **given) -> dict[str, str]:
    return {f"points-{ids[name]}": str(value) for name, value in given.items()}


def test_the_ballot_has_a_labelled_points_field_per_project(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    page = browser.get(url(cycle), headers=EN).get_data(as_text=True)
    offered = {int(pid) for pid in POINTS_FIELD.findall(page)}
    assert offered == {ids[name] for name in ("north1", "north2", "north3", "shared1",
                                              "shared2")}
    assert all(f'<label for="points-{pid}">' in page for pid in offered)
    assert 'type="checkbox"' not in page
    assert "Share out up to 10 points between these projects." in page
    assert "At most 6 points per project." in page


def test_review_shows_the_points_and_confirm_stores_them(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    sent = points(ids, north1=6, north2=0, north3=4, shared2=3)
    review = browser.post(url(cycle, "review"), {**sent, f"points-{ids['shared1']}": ""},
                          headers=EN)
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "6 points" in page and "Points given: 10 of 10" in page
    assert "Points given: 3 of 10" in page and "Préau" not in page
    confirm_form = page[page.index(f'action="/cycles/{cycle.id}/vote/confirm"'):]
    carried = dict(re.findall(r'name="points-(\d+)" value="(\d+)"',
                              confirm_form[:confirm_form.index("</form>")]))
    assert carried == {str(ids["north1"]): "6", str(ids["north3"]): "4",
                       str(ids["shared2"]): "3"}
    assert_nothing_recorded()

    response = browser.post(url(cycle, "confirm"), {f"points-{k}": v for k, v in carried.items()})
    assert response.status_code == 200  # the receipt
    ballot_box.mix()
    stored = dict(db.session.execute(select(BallotSelection.proposal_id,
                                            BallotSelection.points)).all())
    # A 0 is no choice: only the projects given points are recorded.
    assert stored == {ids["north1"]: 6, ids["north3"]: 4, ids["shared2"]: 3}


def test_change_my_choices_shows_the_points_again(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    page = browser.post(url(cycle, "review"), {**points(ids, north1=5), "change": "1"}
                        ).get_data(as_text=True)
    assert re.search(rf'name="points-{ids["north1"]}"[^>]*value="5"', page)
    assert_nothing_recorded()


@pytest.mark.parametrize("sent, message", [
    ({"north1": 6, "north3": 6}, "You gave 12 points in “Nordville”, you have 10."),
    ({"north1": 7}, "At most 6 points per project."),
    ({"north1": -1}, "Points must be whole numbers, 0 or more."),
    ({"north1": "deux"}, "Points must be whole numbers, 0 or more."),
    ({"north1": "2.5"}, "Points must be whole numbers, 0 or more."),
    ({"south1": 3}, "A project you chose is not on your ballot."),
    ({"rejected": 3}, "A project you chose is not on your ballot."),
    ({"north1": 0}, "Choose at least one project."),
    ({}, "Choose at least one project."),
])
@pytest.mark.parametrize("step", ["review", "confirm"])
def test_the_server_refuses_what_breaks_the_rules(browser, w, vote, sent, message, step):
    cycle, ids = vote
    browser.login("alice@example.fr")
    data = {f"points-{ids[name]}": str(value) for name, value in sent.items()}
    response = browser.post(url(cycle, step), data, headers=EN)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert_nothing_recorded()


def test_a_forged_field_name_or_a_repeated_project_is_refused(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    forged = browser.post(url(cycle, "confirm"), {"points-x": "1", **points(ids, north1=1)},
                          headers=EN)
    assert forged.status_code == 422
    twice = browser.post(url(cycle, "confirm"), {f"points-{ids['north1']}": ["1", "2"]},
                         headers=EN)
    assert twice.status_code == 422 and "A project was chosen twice." in twice.get_data(
        as_text=True)
    assert counts() == (0, 0, 0)


def test_an_approval_cycle_ignores_points_fields(browser, w):
    cycle, ids = make_ballot(w, Phase.VOTE)
    browser.login("alice@example.fr")
    response = browser.post(url(cycle, "confirm"), {f"points-{ids['north1']}": "3"}, headers=EN)
    assert response.status_code == 422 and "Choose at least one project." in response.get_data(
        as_text=True)
