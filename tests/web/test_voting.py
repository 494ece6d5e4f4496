"""Voting: the ballot of one's commune, review, confirm, receipt; and every refusal.

Each refusal must leave no Ballot and no Participation row: the voter list and the ballot box
are written together or not at all.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Ballot, BallotSelection, InboxBallot, Participation, TallyRun
from budget.models.time import utcnow
from budget.services import ballot_box, voting
from tests import factories
from tests.factories import project

EN = {"Accept-Language": "en"}
CHECKBOX = re.compile(r'name="project" value="(\d+)"')
RECEIPT = re.compile(r'class="receipt"[^>]*>([^<]*)<')
CODE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


@pytest.fixture
def w(session):
    return factories.world()


def make_ballot(w, phase=Phase.VOTE, vote_format="approval", vote_params=None):
    """A cycle with two projects in each commune's envelope and two intercommunal ones."""
    cycle = factories.cycle(w, phase, vote_format=vote_format, vote_params=vote_params)
    bob = w.users["bob"]
    ids = {
        "north1": project(cycle, w.north, "Parc", 6_000, bob).id,
        "north2": project(cycle, w.north, "Préau", 5_000, bob).id,
        "north3": project(cycle, w.north, "Pergola", 1_000, bob).id,
        "south1": project(cycle, w.south, "Halle", 9_000, bob).id,
        "shared1": project(cycle, None, "Navette", 60_000, bob).id,
        "shared2": project(cycle, None, "Piste cyclable", 30_000, bob).id,
        "rejected": project(cycle, w.north, "Piscine", 2_000, bob, Status.REJECTED).id,
        "submitted": project(cycle, w.north, "Fontaine", 2_000, bob, Status.SUBMITTED).id,
    }
    return cycle, ids


@pytest.fixture
def vote(w):
    return make_ballot(w)


def counts() -> tuple[int, int, int]:
    """(participations, ballots, selections) in the whole database, once the ballots waiting in
    the inbox are mixed into the box."""
    ballot_box.mix()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Participation, Ballot, BallotSelection))


def assert_nothing_recorded():
    assert counts() == (0, 0, 0)


def url(cycle, step: str = "") -> str:
    return f"/cycles/{cycle.id}/vote" + (f"/{step}" if step else "")


def confirm(browser, cycle, project_ids, **kwargs):
    return browser.post(url(cycle, "confirm"), {"project": list(project_ids)}, **kwargs)


# --- The happy path -------------------------------------------------------------------------

def test_the_ballot_of_a_resident_is_their_commune_and_the_intercommunal_one(
        browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    response = browser.get(url(cycle))
    assert response.status_code == 200
    offered = {int(pid) for pid in CHECKBOX.findall(response.get_data(as_text=True))}
    assert offered == {ids[name] for name in ("north1", "north2", "north3", "shared1",
                                              "shared2")}


def test_a_resident_of_the_other_commune_gets_their_own_ballot(browser, w, vote):
    cycle, ids = vote
    browser.login("bob@example.fr")
    page = browser.get(url(cycle)).get_data(as_text=True)
    assert {int(pid) for pid in CHECKBOX.findall(page)} == {
        ids["south1"], ids["shared1"], ids["shared2"]}


def test_review_shows_the_whole_ballot_and_records_nothing(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    chosen = [ids["north1"], ids["shared2"]]
    response = browser.post(url(cycle, "review"), {"project": chosen}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("Nordville", "Intercommunal envelope", "Parc", "Piste cyclable"):
        assert text in page
    assert "Préau" not in page and "Halle" not in page
    # The confirm form carries the choices forward.
    confirm_form = page[page.index('action="/cycles/%d/vote/confirm"' % cycle.id):]
    confirm_form = confirm_form[:confirm_form.index("</form>")]
    assert sorted(int(v) for v in re.findall(r'name="project" value="(\d+)"', confirm_form)) \
        == sorted(chosen)
    assert_nothing_recorded()


def test_change_my_choices_goes_back_to_the_ticked_ballot(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    response = browser.post(url(cycle, "review"), {"project": [ids["north2"]], "change": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'value="{ids["north2"]}"[^>]*checked', page)
    assert not re.search(rf'value="{ids["north1"]}"[^>]*checked', page)
    assert_nothing_recorded()


def test_confirm_records_one_anonymous_ballot_and_shows_the_receipt_once(browser, w, vote):
    cycle, ids = vote
    alice = w.users["alice"]
    browser.login("alice@example.fr")
    chosen = [ids["shared2"], ids["north1"], ids["north3"]]
    assert browser.post(url(cycle, "review"), {"project": chosen}).status_code == 200
    first = confirm(browser, cycle, chosen)  # the receipt, in the answer to the vote
    assert first.status_code == 200
    match = RECEIPT.search(first.get_data(as_text=True))
    assert match, "the receipt code is shown after voting"
    code = match.group(1).strip()
    assert CODE.match(code), code

    again = browser.get(url(cycle, "receipt"))
    assert again.status_code == 200
    assert RECEIPT.search(again.get_data(as_text=True)) is None
    assert code not in again.get_data(as_text=True)

    participation = db.session.scalars(select(Participation)).one()
    assert (participation.user_id, participation.cycle_id) == (alice.id, cycle.id)
    waiting = db.session.scalars(select(InboxBallot)).one()  # until the next mix
    assert (waiting.cycle_id, waiting.commune_id) == (cycle.id, w.north.id)
    assert waiting.receipt_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert {project_id for project_id, _ in waiting.selections} == set(chosen)
    waiting_hash = waiting.receipt_hash
    ballot_box.mix()
    ballot = db.session.scalars(select(Ballot)).one()
    assert (ballot.cycle_id, ballot.commune_id, ballot.channel) == (
        cycle.id, w.north.id, "online")
    assert ballot.receipt_hash == waiting_hash
    assert {s.proposal_id for s in ballot.selections} == set(chosen)
    assert counts() == (1, 1, 3)


def test_the_home_page_thanks_those_who_voted(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    confirm(browser, cycle, [ids["north1"]])
    page = browser.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert f'href="{url(cycle)}"' not in page  # no "Vote now" button any more


def test_the_ballot_box_cannot_name_the_voter(session):
    """The ballots table has no column that leads to a user, and no date or time."""
    inspector = sa.inspect(session.connection())
    columns = {c["name"]: c["type"] for c in inspector.get_columns("ballots")}
    assert not [name for name in columns if "user" in name or "voter" in name]
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("ballots")} <= {
        "budget_cycles", "communes"}
    assert not [name for name, kind in columns.items() if isinstance(kind, sa.Date | sa.DateTime)]
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("ballot_selections")} \
        == {"ballots", "proposals"}
    participation = {fk["referred_table"]
                     for fk in inspector.get_foreign_keys("participations")}
    assert "users" in participation and "ballots" not in participation


def test_knapsack_ballot_within_budget_is_accepted(browser, w):
    cycle, ids = make_ballot(w, vote_format="knapsack", vote_params={})
    browser.login("alice@example.fr")
    chosen = [ids["north1"], ids["north3"], ids["shared1"], ids["shared2"]]  # 7 000 / 90 000
    assert confirm(browser, cycle, chosen).status_code == 200
    assert counts() == (1, 1, 4)


def test_knapsack_a_voter_may_choose_only_their_communes_projects(browser, w):
    """Leaving the intercommunal envelope empty is abstaining there, even with a minimum
    share to spend; the ballot says so."""
    cycle, ids = make_ballot(w, vote_format="knapsack", vote_params={"min_share_percent": 50})
    browser.login("alice@example.fr")
    ballot = browser.get(url(cycle), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Spend at least 50 % of it, or choose nothing here to abstain in this envelope." \
        in ballot
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 200  # 6 000 of 10 000
    assert counts() == (1, 1, 1)


def test_approval_limits_apply_per_envelope(browser, w, vote):
    cycle, ids = vote  # max 2 projects in each envelope
    browser.login("alice@example.fr")
    chosen = [ids["north1"], ids["north2"], ids["shared1"], ids["shared2"]]
    assert confirm(browser, cycle, chosen).status_code == 200
    assert counts() == (1, 1, 4)


# --- Refusals: who and when -----------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW,
                                   Phase.COUNTING])
def test_no_vote_outside_the_vote_phase(browser, w, phase):
    cycle, ids = make_ballot(w, phase)
    browser.login("alice@example.fr")
    assert browser.get(url(cycle)).status_code == 409
    assert browser.post(url(cycle, "review"), {"project": [ids["north1"]]}).status_code == 409
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 409
    assert_nothing_recorded()


def test_no_vote_once_the_results_are_published(browser, w):
    cycle, ids = make_ballot(w, Phase.COUNTING)
    db.session.add(TallyRun(cycle_id=cycle.id, rule="greedy", fingerprint="0" * 64,
                            result={}, published_at=utcnow()))
    db.session.commit()
    assert cycle.phase() == Phase.RESULTS
    browser.login("alice@example.fr")
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 409
    assert_nothing_recorded()


@pytest.mark.parametrize("who", ["zoe", "otherstaff", "admin"])
def test_only_residents_of_the_intercommunality_vote(browser, w, vote, who):
    cycle, ids = vote
    browser.login(f"{who}@example.fr")
    assert browser.get(url(cycle)).status_code == 403
    assert browser.post(url(cycle, "review"), {"project": [ids["shared1"]]}).status_code == 403
    assert confirm(browser, cycle, [ids["shared1"]]).status_code == 403
    assert_nothing_recorded()


def test_visitors_are_sent_to_sign_in(browser, w, vote):
    cycle, ids = vote
    for response in (browser.get(url(cycle)),
                     browser.post(url(cycle, "review"), {"project": [ids["north1"]]}),
                     confirm(browser, cycle, [ids["north1"]])):
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
    assert_nothing_recorded()


@pytest.mark.parametrize("token", [None, "", "not-a-token"], ids=["missing", "empty", "forged"])
def test_confirm_needs_the_csrf_token(browser, w, vote, token):
    cycle, ids = vote
    browser.login("alice@example.fr")
    data = {"project": [ids["north1"]]}
    if token is not None:
        data["csrf_token"] = token
    response = browser.post(url(cycle, "confirm"), data, csrf=False)
    assert response.status_code == 400
    assert_nothing_recorded()


def test_voting_twice_keeps_the_first_ballot_only(browser, w, vote):
    cycle, ids = vote
    browser.login("alice@example.fr")
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 200
    ballot_box.mix()
    first = db.session.scalars(select(Ballot)).one()
    first_id, first_hash = first.id, first.receipt_hash
    second = confirm(browser, cycle, [ids["north2"], ids["shared1"]])
    assert second.status_code == 302
    assert urlsplit(second.headers["Location"]).path == url(cycle, "receipt")
    assert counts() == (1, 1, 1)
    ballot = db.session.scalars(select(Ballot)).one()
    assert (ballot.id, ballot.receipt_hash) == (first_id, first_hash)
    assert [selection.proposal_id for selection in ballot.selections] == [ids["north1"]]
    # The ballot page now sends to the receipt (without a code) instead of a new ballot.
    again = browser.get(url(cycle))
    assert again.status_code == 302
    assert urlsplit(again.headers["Location"]).path == url(cycle, "receipt")


@pytest.mark.parametrize("second_choice", [["north1", "north2", "north3"], ["nope"]])
def test_after_voting_even_a_refused_ballot_sends_to_the_receipt(browser, w, vote,
                                                                 second_choice):
    """Too many choices, or a value that is no project: the voter has voted already, so they
    are sent to their receipt, not shown a ballot to correct."""
    cycle, ids = vote
    browser.login("alice@example.fr")
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 200
    second = confirm(browser, cycle, [ids.get(name, name) for name in second_choice])
    assert second.status_code == 302
    assert urlsplit(second.headers["Location"]).path == url(cycle, "receipt")
    assert counts() == (1, 1, 1)


def test_the_receipt_page_needs_a_vote(browser, w, vote):
    cycle, _ = vote
    browser.login("alice@example.fr")
    response = browser.get(url(cycle, "receipt"))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == url(cycle)


# --- Refusals: what is on the ballot --------------------------------------------------------

BAD_BALLOTS = {
    # name: (project names or raw values, vote format, vote params)
    "other-commune": (["south1"], "approval", None),
    "other-commune-mixed": (["north1", "south1"], "approval", None),
    "rejected-project": (["rejected"], "approval", None),
    "submitted-project": (["submitted"], "approval", None),
    "unknown-id": (["999999"], "approval", None),
    "non-numeric-id": (["abc"], "approval", None),
    "empty-id": ([""], "approval", None),
    "duplicate-id": (["north1", "north1"], "approval", None),
    "too-many": (["north1", "north2", "north3"], "approval", None),
    "too-many-shared": (["north1", "shared1", "shared2"], "approval", {"max_choices": 1}),
    "too-few": (["north1", "shared1", "shared2"], "approval",
                {"min_choices": 2, "max_choices": 3}),
    "over-budget": (["north1", "north2"], "knapsack", {}),  # 11 000 > 10 000
    "empty": ([], "approval", None),
}


def bad_ballot(w, case):
    names, vote_format, params = BAD_BALLOTS[case]
    cycle, ids = make_ballot(w, vote_format=vote_format, vote_params=params)
    return cycle, [ids.get(name, name) for name in names]


@pytest.mark.parametrize("case", BAD_BALLOTS)
@pytest.mark.parametrize("step", ["review", "confirm"])
def test_an_invalid_ballot_is_refused_and_nothing_is_recorded(browser, w, case, step):
    cycle, chosen = bad_ballot(w, case)
    browser.login("alice@example.fr")
    response = browser.post(url(cycle, step), {"project": chosen})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page  # the ballot comes back with what is wrong
    assert CHECKBOX.search(page), "the ballot is shown again"
    assert_nothing_recorded()


def test_a_project_of_another_cycle_is_not_on_the_ballot(browser, w, vote):
    cycle, _ = vote
    other, other_ids = make_ballot(w)
    browser.login("alice@example.fr")
    assert confirm(browser, cycle, [other_ids["north1"]]).status_code == 422
    assert_nothing_recorded()


@pytest.mark.parametrize("case, message", [
    ("other-commune", "A project you chose is not on your ballot."),
    ("empty", "Choose at least one project."),
    ("too-many", "Choose at most 2 projects in “Nordville”."),
    ("over-budget", "Your choices in “Nordville” cost €11,000, more than the €10,000 "
                    "available."),
])
def test_the_refusal_says_why(browser, w, case, message):
    cycle, chosen = bad_ballot(w, case)
    browser.login("alice@example.fr")
    response = browser.post(url(cycle, "confirm"), {"project": chosen}, headers=EN)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_racing_second_confirm_is_stopped_by_the_database(browser, w, vote, monkeypatch):
    """Two confirms at the same moment both pass the has-voted check; the UNIQUE constraint on
    participations must then reject the second, and its ballot must go with it."""
    cycle, ids = vote
    browser.login("alice@example.fr")
    assert confirm(browser, cycle, [ids["north1"]]).status_code == 200
    ballot_box.mix()
    first = db.session.scalars(select(Ballot)).one().id
    monkeypatch.setattr(voting, "has_voted", lambda user, cycle: False)
    response = confirm(browser, cycle, [ids["north2"]])
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == url(cycle, "receipt")
    assert counts() == (1, 1, 1)
    assert db.session.scalars(select(Ballot.id)).one() == first
