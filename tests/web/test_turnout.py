"""During the vote staff see how many people voted, per commune and channel, on the dashboard
and in the panel its script refreshes; never what was voted, never a count small enough to
name the voters, and nobody else sees it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import PaperBatch
from budget.services import voting
from tests import factories
from tests.factories import project


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def voting_cycle(w):
    """Six online voters in Nordville, two in Sudville, twelve paper ballots in Sudville."""
    cycle = factories.cycle(w, Phase.VOTE)
    north_park = project(cycle, w.north, "Parc secret du nord", 5_000, w.users["alice"])
    south_park = project(cycle, w.south, "Halle du sud", 5_000, w.users["bob"])
    north_voters = [w.users["alice"]] + [factories.user(f"n{i}@example.fr", w.north)
                                         for i in range(5)]
    for voter in north_voters:
        voting.cast(voter, cycle, [north_park.id])
    for voter in (w.users["bob"], factories.user("s1@example.fr", w.south)):
        voting.cast(voter, cycle, [south_park.id])
    db.session.add(PaperBatch(cycle_id=cycle.id, commune_id=w.south.id,
                              label="Mairie, dimanche", declared_count=12))
    db.session.commit()
    return cycle


def cells(page: str) -> dict[str, list[str]]:
    """Each row of the turnout table: its header, then its cells' text."""
    table = page[page.index("data-turnout"):]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>'
                      r'<td class="num">([^<]+)</td>', table)
    return {name: [online.strip(), paper.strip()] for name, online, paper in rows}


def test_the_dashboard_shows_turnout_per_commune_and_channel(browser, voting_cycle):
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/cycles/{voting_cycle.id}").get_data(as_text=True)
    assert cells(page) == {"Nordville": ["6", "0"], "Sudville": ["moins de 5", "12"],
                           "Total": ["au moins 6", "12"]}
    assert 'src="/static/turnout.js"' in page


def test_the_panel_alone_is_what_the_script_refreshes(browser, voting_cycle):
    browser.login("staff@example.fr")
    response = browser.get(f"/staff/cycles/{voting_cycle.id}/turnout")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'data-refresh="30"' in fragment
    assert cells(fragment)["Nordville"] == ["6", "0"]
    assert "Parc secret du nord" not in fragment


def test_commune_staff_see_their_commune_only(browser, voting_cycle):
    browser.login("northclerk@example.fr")
    fragment = browser.get(f"/staff/cycles/{voting_cycle.id}/turnout").get_data(as_text=True)
    assert cells(fragment) == {"Nordville": ["6", "0"]}


@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_nobody_else_sees_the_turnout(browser, voting_cycle, who):
    browser.login(f"{who}@example.fr")
    assert browser.get(f"/staff/cycles/{voting_cycle.id}/turnout").status_code == 403


def test_no_turnout_before_the_vote(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    assert "data-turnout" not in browser.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert browser.get(f"/staff/cycles/{cycle.id}/turnout").status_code == 409


def test_the_count_never_reads_a_ballot(browser, voting_cycle):
    browser.login("staff@example.fr")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lower())

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert browser.get(f"/staff/cycles/{voting_cycle.id}/turnout").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    read = " ".join(statements)
    assert "participations" in read
    assert not re.search(r"\bballots\b|ballot_inbox|ballot_selections", read)
