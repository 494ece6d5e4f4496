"""The Pabulib file of a cumulative cycle: `vote` and `points` columns, the cycle's limits in
META, accepted by pabulib-checker, and re-read it gives back the stored fingerprint."""
from __future__ import annotations

import pytest

from budget.domain import recount
from budget.domain.fingerprint import envelope_fingerprint
from budget.domain.pabulib import read_pabulib_text
from budget.domain.phases import Phase
from budget.services import tally
from tests import factories
from tests.exports.conftest import cast_close_tally
from tests.exports.test_pabulib_export import check

# Nordville, 10 000 €: A 6 000 € 9 points, C 3 000 € 7 points, B 4 000 € 6 points, D 1 000 €
# 2 points. Greedy by points: A (4 000 left), C (1 000 left), B skipped, D (0 left).
PROJECTS = {"A": 6_000, "B": 4_000, "C": 3_000, "D": 1_000, "N": 12_000}
BALLOTS = {"alice": {"A": 5, "B": 3, "N": 2}, "nina": {"A": 4, "C": 5, "D": 1},
           "noe": {"B": 3, "C": 2, "D": 1}}


@pytest.fixture
def cumulative(w):
    cycle = factories.cycle(w, Phase.VOTE, vote_format="cumulative",
                            vote_params={"total_points": 10, "max_per_project": 5},
                            amounts=(20_000, 10_000, 30_000))
    ids = {key: factories.project(cycle, None if key == "N" else w.north, f"Projet {key}", cost,
                                  w.users["bob"]).id for key, cost in PROJECTS.items()}
    run = cast_close_tally(w, cycle, {name: {ids[k]: points for k, points in ballot.items()}
                                      for name, ballot in BALLOTS.items()})
    tally.publish(w.users["staff"], cycle, run.id)
    return cycle, run, ids


def test_a_cumulative_envelope_is_written_with_its_points(browser, cumulative):
    cycle, run, _ = cumulative
    north = next(e for e in run.result["envelopes"] if e["commune_id"] is not None
                 and e["projects"])
    assert {p["title"]: (p["votes"], p["points"]) for p in north["projects"]} == {
        "Projet A": (2, 9), "Projet C": (2, 7), "Projet B": (2, 6), "Projet D": (2, 2)}
    assert {p["title"] for p in north["projects"] if p["selected"]} == {
        "Projet A", "Projet C", "Projet D"}
    text = browser.get(f"/cycles/{cycle.id}/envelopes/{north['id']}.pb").get_data(as_text=True)
    assert "voter_id;vote;points" in text
    report = check(text)
    assert report["errors"] == {}, report
    pb = read_pabulib_text(text)
    assert pb.meta["vote_type"] == "cumulative"
    assert (pb.meta["max_sum_points"], pb.meta["max_points"]) == ("10", "5")
    facts = recount.decode(pb.meta)
    tie_order = facts["tie_order"].split(",")
    assert envelope_fingerprint(facts["engine_rule"], pb.election, tie_order) \
        == north["fingerprint"] == facts["fingerprint"]
    assert sorted(sum(ballot.values()) for ballot, _ in pb.election.ballots) == [6, 8, 10]


@pytest.mark.parametrize("suffix", ["results", "results.xlsx", "results.pdf", "results.json"])
def test_the_other_results_of_a_cumulative_cycle_are_served(browser, cumulative, suffix):
    cycle, _, _ = cumulative
    assert browser.get(f"/cycles/{cycle.id}/{suffix}").status_code == 200


def test_the_results_page_shows_the_points(browser, cumulative):
    cycle, _, _ = cumulative
    page = browser.get(f"/cycles/{cycle.id}/results", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert '<th scope="col" class="num">Points</th>' in text
    # Projet A: 2 votes, 9 points.
    assert '<td class="num">2</td>\n              <td class="num">9</td>' in text
