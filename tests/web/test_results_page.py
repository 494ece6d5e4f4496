"""The results page explains every outcome; a voter checks their ballot with the receipt."""
import html
import re

import pytest

from budget.domain.phases import Phase
from budget.services import cycles, tally, voting
from budget.services.tally_result import compute
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def equal_shares(session):
    """North: 4 voters, share 2 500 € each of 10 000 €. A (6 000 €) has 3 supporters and is
    paid 2 000 € each; B (6 000 €) has one supporter holding 2 500 €: short of money."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes", vote_params={"max_choices": 2})
    a = factories.project(cycle, w.north, "Jardin A", 6_000, w.users["bob"])
    b = factories.project(cycle, w.north, "Préau B", 6_000, w.users["bob"])
    codes = {}
    for number, choice in enumerate([[a.id], [a.id], [a.id, b.id], [b.id]]):
        voter = factories.user(f"v{number}@example.fr", w.north)
        codes[number] = voting.cast(voter, cycle, choice)
    return w, cycle, a, b, codes


def finish(cycle, staff, publish=True):
    cycles.close_vote(staff, cycle)
    run = tally.run_tally(staff, cycle)
    if publish:
        tally.publish(staff, cycle, run.id)
    return run


def test_equal_shares_explanations_are_hand_checked(equal_shares):
    w, cycle, a, b, _ = equal_shares
    _, result = compute(cycle, "mes")
    north = next(e for e in result["envelopes"] if e["commune_id"] == w.north.id)
    assert north["share_per_voter"] == 2500
    rows = {p["id"]: p for p in north["projects"]}
    assert rows[a.id]["selected"] and rows[a.id]["explanation"] == {
        "kind": "mes-funded", "supporters": 3, "price": 2000.0, "capped": 0}
    assert not rows[b.id]["selected"]
    assert rows[b.id]["explanation"] == {"kind": "mes-short", "supporters": 2,
                                         "available": 3000.0}


def test_results_page_says_why_in_words(equal_shares, browser):
    w, cycle, a, b, _ = equal_shares
    staff = w.users["staff"]
    finish(cycle, staff)
    page = html.unescape(browser.get(f"/cycles/{cycle.id}/results",
                                     headers=EN).get_data(as_text=True))
    assert "its 3 supporters paid it from their equal shares, at most €2,000.00 each" in page
    assert ("Not funded: its supporters' remaining shares covered only €3,000.00 of its "
            "€6,000.") in page
    assert "<svg" in page and "Votes per project, shown in the table below." in page
    assert "Voters with at least one funded project" in page
    assert ("Ties: the cheaper one first; at equal cost, the one with more votes; then the older "
            "proposal.") in page


def test_voter_checks_their_ballot_with_the_receipt(equal_shares, browser):
    w, cycle, a, b, codes = equal_shares
    url = f"/cycles/{cycle.id}/receipt"
    assert browser.get(url).status_code == 404  # nothing before publication
    finish(cycle, w.users["staff"])
    page = browser.post(url, {"code": codes[2].lower()}, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Your ballot was counted." in text
    assert re.search(r"Jardin A — funded", text) and re.search(r"Préau B — not funded", text)
    wrong = browser.post(url, {"code": "AAAA-BBBB-CCCC"}, headers=EN)
    assert wrong.status_code == 422
    assert "No ballot of this cycle has this receipt code" in wrong.get_data(as_text=True)


def test_greedy_explains_what_did_not_fit(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, amounts=(100_000, 10_000, 30_000))
    big = factories.project(cycle, w.north, "Grand", 8_000, w.users["bob"])
    small = factories.project(cycle, w.north, "Moyen", 5_000, w.users["bob"])
    for number in range(3):
        voting.cast(factories.user(f"g{number}@example.fr", w.north), cycle,
                    [big.id] + ([small.id] if number == 0 else []))
    finish(cycle, w.users["staff"])
    page = browser.get(f"/cycles/{cycle.id}/results", headers=EN).get_data(as_text=True)
    assert "Not funded: it did not fit (€2,000 left when its turn came, it costs €5,000)." in page


def test_completion_funds_what_equal_shares_left_is_hand_checked(session):
    """North, 10 000 €, two voters with 5 000 € each. B (3 000 €) is paid by its supporter;
    A (6 000 €) is short (its supporter holds 5 000 €), then the greedy completion funds it with
    the 7 000 € left."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes-greedy")
    a = factories.project(cycle, w.north, "A", 6_000, w.users["bob"])
    b = factories.project(cycle, w.north, "B", 3_000, w.users["bob"])
    voting.cast(factories.user("one@example.fr", w.north), cycle, [a.id])
    voting.cast(factories.user("two@example.fr", w.north), cycle, [b.id])
    for rule, a_kind in (("mes", "mes-short"), ("mes-greedy", "completion-selected"),
                         ("mes-add1", "mes-funded")):
        _, result = compute(cycle, rule)
        north = next(e for e in result["envelopes"] if e["commune_id"] == w.north.id)
        rows = {p["id"]: p for p in north["projects"]}
        assert rows[b.id]["explanation"]["kind"] == "mes-funded", rule
        assert rows[b.id]["explanation"]["price"] == 3000.0, rule
        assert rows[a.id]["explanation"]["kind"] == a_kind, rule
        assert rows[a.id]["selected"] == (rule != "mes"), rule


@pytest.fixture
def three_projects(session):
    """North, 10 000 €, three voters: X (6 000 €) has 2 votes, Y (5 000 €) 2 votes, Z
    (3 000 €) 1 vote; voter one: X, voter two: X and Y, voter three: Y and Z."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    x = factories.project(cycle, w.north, "X", 6_000, w.users["bob"])
    y = factories.project(cycle, w.north, "Y", 5_000, w.users["bob"])
    z = factories.project(cycle, w.north, "Z", 3_000, w.users["bob"])
    for number, choice in enumerate([[x.id], [x.id, y.id], [y.id, z.id]]):
        voting.cast(factories.user(f"t{number}@example.fr", w.north), cycle, choice)
    return w, cycle, x, y, z


def north_rows(w, cycle, rule):
    _, result = compute(cycle, rule)
    north = next(e for e in result["envelopes"] if e["commune_id"] == w.north.id)
    return {p["title"]: p["explanation"] for p in north["projects"]}


def test_phragmen_explanations_are_hand_checked(three_projects):
    """Loads: Y first (5 000 / 2 = 2 500 per supporter) then X ((2 500 + 6 000) / 2 = 4 250,
    below Z's (2 500 + 3 000) / 1 = 5 500): X no longer fits (5 000 € left), so the rule stops
    there and Z is never reached."""
    w, cycle, *_ = three_projects
    assert north_rows(w, cycle, "phragmen") == {
        "Y": {"kind": "phragmen-funded", "round": 1},
        "X": {"kind": "phragmen-stopped", "money_left": 5000.0},
        "Z": {"kind": "phragmen-not-reached"}}


def test_max_welfare_explanations_are_hand_checked(three_projects):
    """Satisfaction = cost x votes: X 12 000, Y 10 000, Z 3 000. Within 10 000 €, the best
    set is X + Z (15 000), better than Y + Z (13 000)."""
    w, cycle, *_ = three_projects
    assert north_rows(w, cycle, "max-welfare") == {
        "X": {"kind": "welfare-funded"}, "Z": {"kind": "welfare-funded"},
        "Y": {"kind": "welfare-left-out"}}


def test_greedy_cardinality_explanations_are_hand_checked(three_projects):
    """Votes per euro: Y 2/5 000 first; X and Z tie at 1/3 000, the cheaper Z first (8 000 €
    spent); X (6 000 €) no longer fits in the 2 000 € left."""
    w, cycle, *_ = three_projects
    rows = north_rows(w, cycle, "greedy-cardinality")
    assert [rows[t]["kind"] for t in "YZX"] == ["greedy-selected", "greedy-selected",
                                                 "greedy-skipped"]
    assert rows["X"]["remaining_before"] == 2000.0


def test_mes_cardinality_explanations_are_hand_checked(three_projects):
    """Three shares of 3 333,33 €, one unit of satisfaction per project: Y costs its two
    supporters 2 500 € each (the lowest price); then X's supporters hold 3 333,33 + 833,33 and
    Z's only 833,33: both short."""
    w, cycle, *_ = three_projects
    rows = north_rows(w, cycle, "mes-cardinality")
    assert rows["Y"] == {"kind": "mes-funded", "supporters": 2, "price": 2500.0, "capped": 0}
    assert rows["X"] == {"kind": "mes-short", "supporters": 2, "available": 4166.67}
    assert rows["Z"] == {"kind": "mes-short", "supporters": 1, "available": 833.33}


def test_equal_shares_says_how_many_supporters_paid_and_why_the_others_did_not(
        session, browser):
    """North, 10 000 €, five voters with 2 000 € each. B (8 000 €, voters 1-4) is funded
    first: its four supporters spend their whole share. D (1 500 €) has three supporters
    (voters 3-5), but only voter 5 still has a share: they pay it alone."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes", vote_params={"max_choices": 3})
    projects = {name: factories.project(cycle, w.north, name, cost, w.users["bob"]).id
                for name, cost in (("B", 8_000), ("D", 1_500))}
    for number, names in enumerate(["B", "B", "BD", "BD", "D"]):
        voting.cast(factories.user(f"e{number}@example.fr", w.north), cycle,
                    [projects[name] for name in names])
    rows = north_rows(w, cycle, "mes")
    assert rows["B"] == {"kind": "mes-funded", "supporters": 4, "price": 2000.0, "capped": 4}
    assert rows["D"] == {"kind": "mes-funded", "supporters": 1, "price": 1500.0, "capped": 0}
    finish(cycle, w.users["staff"])
    page = html.unescape(browser.get(f"/cycles/{cycle.id}/results",
                                     headers=EN).get_data(as_text=True))
    assert ("Funded — 1 of its 3 supporters paid it (€1,500.00) from their equal share; the "
            "other 2 had no share left") in page
    assert "Funded — its 4 supporters paid it from their equal shares, at most €2,000.00 each" \
        in page
    french = html.unescape(browser.get(f"/cycles/{cycle.id}/results",
                                       headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert "payé par 1 de ses 3 soutiens sur sa part égale" in french
    assert "les 2 autres n’avaient plus de part disponible" in french
