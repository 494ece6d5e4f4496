"""The Éditions page of an intercommunalité: each published intercommunal cycle with its
turnout (online, paper), money available and allocated, proposals, winners and how many were
delivered, drawn as bars with the same figures in a table."""
from __future__ import annotations

import re

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.domain.delivery import Stage, TrackingUpdate
from budget.services import editions, tally, tracking, tracking_read
from budget.services.policy import SYSTEM_OPERATOR
from tests import factories
from tests.exports.conftest import cast_close_tally


def published_cycle(w, title: str, ballots: dict[str, str]):
    """A cycle whose vote is over, with projects "A" (Nordville, 6 000 €) and "B" (shared,
    50 000 €), one withdrawn proposal, the ballots given (user -> keys), tallied, published."""
    cycle = factories.cycle(w, Phase.VOTE, amounts=(100_000, 10_000, 30_000))
    cycle.title = title
    ids = {"A": factories.project(cycle, w.north, "Parc", 6_000, w.users["bob"]).id,
           "B": factories.project(cycle, None, "Navette", 50_000, w.users["bob"]).id}
    factories.project(cycle, w.north, "Idée retirée", 100, w.users["alice"], Status.WITHDRAWN)
    run = cast_close_tally(w, cycle, {name: [ids[k] for k in keys]
                                      for name, keys in ballots.items()})
    tally.publish(SYSTEM_OPERATOR, cycle, run.id)
    return cycle


def test_each_published_edition_with_its_figures(browser, session):
    w = factories.world()
    first = published_cycle(w, "Budget 2025", {"alice": "A", "bob": "B"})
    second = published_cycle(w, "Budget 2026", {"alice": "AB", "nina": "A", "noe": "B"})
    factories.cycle(w, Phase.VOTE).title = "Budget 2027 en cours"  # not published: left out
    own = factories.commune_cycle(w, Phase.COUNTING)  # a commune's own cycle: left out
    own.title = "Budget de Nordville"
    park = next(r for r in tracking_read.of_cycle(second) if r.commune_id == w.north.id)
    tracking.update(w.users["staff"], park, TrackingUpdate(
        stage=Stage.DELIVERED, progress=100, committed=6_000, spent=5_800,
        planned_delivery=None, delivered_on=tracking.today(), abandon_reason="", service="",
        delivered_by_commune=True))
    found = editions.editions(w.epci)
    assert [e.cycle_id for e in found] == [first.id, second.id]
    assert [(e.delivered, e.abandoned) for e in found] == [(0, 0), (1, 0)]
    assert [(e.online, e.paper, e.amount, e.spent, e.proposals, e.on_ballot, e.winners)
            for e in found] == [(2, 0, 140_000, 56_000, 2, 2, 2), (3, 0, 140_000, 56_000, 2, 2, 2)]
    assert found[0].population == 4_000
    page = browser.get(f"/intercommunalities/{w.epci.id}/editions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Budget 2025" in html and "Budget 2026" in html
    assert "Budget 2027 en cours" not in html and "Budget de Nordville" not in html
    assert html.count('class="bar-won"') == 4  # two charts, one bar per edition each
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S)
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in rows]
    # ... and the evaluation after delivery: the delivered park is not evaluated yet.
    assert cells[1] == ["3", "0", "0,1\u00a0%", "140\u202f000\u00a0€", "56\u202f000\u00a0€",
                        "2", "2", "0", "0,0\u00a0%", "—"]
    delivered = re.search(r'<a href="(/cycles/\d+/tracking)">1</a>\s*\(([^)]*)\)', rows[1])
    assert delivered.groups() == (f"/cycles/{second.id}/tracking", "50,0\u00a0%")


def test_a_territory_without_published_results_says_so(browser, session):
    w = factories.world()
    factories.cycle(w, Phase.VOTE)
    html = browser.get(f"/intercommunalities/{w.epci.id}/editions").get_data(as_text=True)
    assert "Aucune édition n’a encore publié ses résultats." in html


def test_an_unknown_territory_is_not_found(browser, session):
    assert browser.get("/intercommunalities/999999/editions").status_code == 404
