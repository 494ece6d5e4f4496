"""Every rule the platform offers runs on a cycle's ballots, within every envelope."""
import pytest

from budget.domain.phases import Phase
from budget.services import tally_result, voting
from tests import factories

PLATFORM_RULES = ["greedy", "greedy-cardinality", "mes", "mes-cardinality", "mes-greedy",
                  "mes-add1", "phragmen", "max-welfare"]


@pytest.fixture
def voted_cycle(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, vote_params={"max_choices": 3})
    alice = w.users["alice"]
    north = [factories.project(cycle, w.north, f"Nord {n}", cost, alice).id
             for n, cost in enumerate((4_000, 5_000, 3_000, 7_000))]
    shared = [factories.project(cycle, None, f"Commun {n}", cost, alice).id
              for n, cost in enumerate((60_000, 30_000, 45_000))]
    south = factories.project(cycle, w.south, "Sud", 20_000, alice).id
    for number in range(12):
        voter = factories.user(f"n{number}@example.fr", w.north)
        voting.cast(voter, cycle, [north[number % 4], north[(number + 1) % 4],
                                   shared[number % 3]])
    voting.cast(factories.user("s@example.fr", w.south), cycle, [south])
    return cycle


@pytest.mark.parametrize("rule", PLATFORM_RULES)
def test_each_rule_stays_within_every_envelope(voted_cycle, rule):
    digest, result = tally_result.compute(voted_cycle, rule)
    assert len(digest) == 64
    assert result["ballots"] == 13
    for envelope in result["envelopes"]:
        winners = [p for p in envelope["projects"] if p["selected"]]
        assert envelope["spent"] == sum(p["cost"] for p in winners) <= envelope["amount"]
    by_commune = {e["commune_id"]: e for e in result["envelopes"]}
    # The south voter chose nothing intercommunal: an abstainer there, not a voter.
    assert by_commune[None]["voters"] == 12
    assert by_commune[None]["input"]["ballots"] and all(
        choice for choice, _ in by_commune[None]["input"]["ballots"])


def test_a_cycle_without_ballots_funds_nothing_by_votes(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    _, result = tally_result.compute(cycle, "mes")
    assert result["ballots"] == 0
    assert all(not p["selected"] for e in result["envelopes"] for p in e["projects"])
