"""The tally reads the ballot box as counts of equal ballots, grouped by the database: the
same ballots give the same result whether they still wait in the inbox or lie in the box."""
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, InboxBallot
from budget.services import ballot_box, tally_result, voting
from tests import factories


def _cast_votes(w, cycle, choices):
    """choices: (commune, [project ids]) per voter."""
    for number, (commune, chosen) in enumerate(choices):
        voting.cast(factories.user(f"v{number}@example.fr", commune), cycle, chosen)


def test_equal_ballots_are_counted_together_per_commune_and_channel(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    alice = w.users["alice"]
    park, bench = (factories.project(cycle, w.north, title, 4_000, alice).id
                   for title in ("Parc", "Banc"))
    pool = factories.project(cycle, None, "Piscine", 50_000, alice).id
    _cast_votes(w, cycle, [(w.north, [park, pool])] * 3 + [(w.north, [pool, park])]
                + [(w.north, [bench])] + [(w.south, [pool])] * 2)
    ballot_box.seal(cycle)
    assert db.session.query(InboxBallot).count() == 0
    assert db.session.query(Ballot).filter_by(cycle_id=cycle.id).count() == 7

    box = tally_result.BallotBox(cycle)
    assert box.by_commune[w.north.id] == {
        frozenset({(park, None), (pool, None)}): 4, frozenset({(bench, None)}): 1}
    assert box.by_commune[w.south.id] == {frozenset({(pool, None)}): 2}
    assert box.by_channel == {"online": 7}


def test_the_inbox_and_the_box_give_the_same_tally(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, vote_params={"max_choices": 3})
    alice = w.users["alice"]
    north = [factories.project(cycle, w.north, f"Nord {n}", cost, alice).id
             for n, cost in enumerate((4_000, 5_000, 3_000, 7_000))]
    shared = [factories.project(cycle, None, f"Commun {n}", cost, alice).id
              for n, cost in enumerate((60_000, 30_000, 45_000))]
    _cast_votes(w, cycle, [(w.north, [north[n % 4], north[(n + 1) % 4], shared[n % 3]])
                           for n in range(12)] + [(w.south, [shared[1]])])
    waiting = tally_result.compute(cycle, "mes")
    ballot_box.seal(cycle)
    in_the_box = tally_result.compute(cycle, "mes")
    assert in_the_box == waiting
    assert in_the_box[1]["ballots"] == 13
    assert in_the_box[1]["ballots_by_commune"] == {str(w.north.id): 12, str(w.south.id): 1}


def test_points_and_paper_ballots_keep_their_points_and_channel(session):
    from budget.services import paper

    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, "cumulative", {"total_points": 5})
    alice, clerk, staff = w.users["alice"], w.users["northclerk"], w.users["staff"]
    park, bench = (factories.project(cycle, w.north, title, 4_000, alice).id
                   for title in ("Parc", "Banc"))
    _cast_votes(w, cycle, [(w.north, {park: 3, bench: 2})] * 2 + [(w.north, {park: 5})])
    batch = paper.create_batch(clerk, cycle, w.north, "Mairie", 1)
    for person in (clerk, staff):
        paper.start_entry(person, batch)
        paper.enter_ballot(person, batch, 1, "valid", {park: 3, bench: 2})
    paper.validate(staff, batch)
    waiting = tally_result.compute(cycle, "mes-points")
    ballot_box.seal(cycle)

    box = tally_result.BallotBox(cycle)
    assert box.by_commune[w.north.id] == {frozenset({(park, 3), (bench, 2)}): 3,
                                          frozenset({(park, 5)}): 1}
    assert box.by_channel == {"online": 3, "paper": 1}
    assert box.paper_by_commune == {w.north.id: 1}
    assert tally_result.compute(cycle, "mes-points") == waiting
