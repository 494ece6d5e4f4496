"""A stored tally result is read through one reader, whatever version of the application
wrote it: runs stored before results had a version still open."""
import pytest

from budget.domain.phases import Phase
from budget.services import stored_result, tally_result, voting
from tests import factories

# A result as the first versions stored it: no "version", no paper ballots, no ballots by
# channel, no fairness figures, and a greedy project's short status instead of an explanation.
OLDEST_SHAPE = {
    "engine": 1, "rule": "greedy", "tie_break": "lowest-cost-most-votes-oldest", "ballots": 3,
    "ballots_by_commune": {"7": 3},
    "envelopes": [{
        "id": 11, "name": "Nord", "commune_id": 7, "amount": 10_000, "voters": 3,
        "spent": 9_000, "fingerprint": "ab" * 32,
        "input": {"costs": {"21": 9_000, "22": 2_000}, "budget": "10000",
                  "tie_order": ["22", "21"]},
        "projects": [
            {"id": 21, "title": "Salle", "cost": 9_000, "votes": 3, "selected": True,
             "selection_rank": 1, "status": "selected", "remaining_before": 10_000},
            {"id": 22, "title": "Banc", "cost": 2_000, "votes": 1, "selected": False,
             "selection_rank": None, "status": "skipped", "remaining_before": 1_000},
        ],
    }],
}


def test_a_result_stored_without_a_version_reads_as_version_1_with_empty_defaults(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        result = stored_result.read(OLDEST_SHAPE)
        envelope = result.envelopes[0]
        salle, banc = envelope.projects
        assert result.version == 1 and result.engine == "1" and result.ballots == 3
        assert result.ballots_by_commune == {7: 3} and result.ballots_by_channel == {}
        assert result.paper_by_commune == {} and result.satisfied == 0
        assert result.kiosk_by_commune == {}  # runs older than kiosks: no kiosk ballot
        assert (envelope.label, envelope.share_per_voter, envelope.with_points) == \
            ("Nord", None, False)
        assert [p.title for _, p in result.winners] == ["Salle"]
        assert (salle.outcome, banc.outcome, banc.kind) == ("funded", "did_not_fit",
                                                             "greedy-skipped")
        assert "did not fit" in banc.outcome_text()


def test_a_result_of_a_newer_version_is_refused_not_misread():
    with pytest.raises(stored_result.UnknownResultVersion):
        stored_result.read(dict(OLDEST_SHAPE, version=stored_result.RESULT_VERSION + 1))


def test_a_tally_stores_the_current_version_and_reads_back_what_it_wrote(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    bench = factories.project(cycle, None, "Banc", 1_000, w.users["bob"])
    voting.cast(w.users["alice"], cycle, [park.id, bench.id])
    _, stored = tally_result.compute(cycle, "greedy")
    assert stored["version"] == stored_result.RESULT_VERSION
    result = stored_result.read(stored)
    assert result.ballots == 1 and result.ballots_by_channel == {"online": 1}
    assert stored["kiosk_by_commune"] == {} and result.kiosk_by_commune == {}
    assert {p.id for p in result.projects if p.selected} == {park.id, bench.id}
    assert [e.spent for e in result.envelopes] == [e["spent"] for e in stored["envelopes"]]
