"""Staff compare rules on the closed ballot box; nothing is stored or published."""
import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.models import TallyRun
from budget.services import cycles, simulation, voting
from budget.services.tally_result import compute
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def closed(session):
    """North (10 000 €): X 9 000 € with 3 votes, Y 2 000 € with 2 votes. Greedy funds X and
    skips Y (1 000 € left); with envelopes 10 % larger (11 000 €) Y fits too."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    x = factories.project(cycle, w.north, "Salle X", 9_000, w.users["bob"])
    y = factories.project(cycle, w.north, "Banc Y", 2_000, w.users["bob"])
    for number, choice in enumerate([[x.id], [x.id], [x.id, y.id], [y.id]]):
        voting.cast(factories.user(f"s{number}@example.fr", w.north), cycle, choice)
    cycles.close_vote(w.users["staff"], cycle)
    return w, cycle, x, y


def test_a_larger_envelope_is_hand_checked(closed):
    w, cycle, x, y = closed
    reference, variants, changes = simulation.simulate(w.users["staff"], cycle, [], True)
    assert [(v.rule, v.budget_factor) for v in variants] == [("greedy", simulation.LARGER)]
    assert [(c.project.id, c.funded) for c in changes] == [(y.id, True)]
    assert changes[0].reference.kind == "greedy-skipped"


def test_every_reported_change_is_a_real_difference(closed):
    w, cycle, x, y = closed
    rules = ["mes", "mes-add1", "phragmen", "max-welfare"]
    _, variants, changes = simulation.simulate(w.users["staff"], cycle, rules, False)
    official = compute(cycle, "greedy")[1]
    funded = {p["id"] for e in official["envelopes"] for p in e["projects"] if p["selected"]}
    for variant in variants:
        theirs = {p["id"] for e in compute(cycle, variant.rule)[1]["envelopes"]
                  for p in e["projects"] if p["selected"]}
        reported = {c.project.id for c in changes if c.variant is variant}
        assert reported == funded ^ theirs


def test_the_page_shows_changes_and_stores_nothing(closed, browser, session):
    w, cycle, x, y = closed
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/cycles/{cycle.id}/simulate?rule=mes&larger=1", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Banc Y" in text and "with envelopes 10 % larger" in text
    assert session.scalar(select(func.count()).select_from(TallyRun)) == 0


def test_nobody_simulates_during_the_vote_or_without_a_staff_role(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    browser.login("staff@example.fr")
    page = browser.get(f"/staff/cycles/{cycle.id}/simulate?rule=mes", headers=EN)
    assert "Side by side" not in page.get_data(as_text=True)
    browser.logout()
    browser.login("alice@example.fr")
    assert browser.get(f"/staff/cycles/{cycle.id}/simulate?rule=mes").status_code == 403
