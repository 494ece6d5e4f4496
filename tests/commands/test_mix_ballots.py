"""`flask budget mix-ballots`, run by the timer: what waits in the inbox goes into the box."""
from __future__ import annotations

from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, InboxBallot
from budget.services import ballot_box, results, voting
from tests import factories
from tests.commands.helpers import invoke


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_timer_command_empties_the_inbox_into_the_box(app, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    codes = [voting.cast(factories.user(f"v{n}@example.fr", w.north), cycle, [park.id])
             for n in range(3)]
    assert (count(InboxBallot), count(Ballot)) == (3, 0)  # fewer than a mix's worth
    # A voter checking their receipt finds the ballot wherever it waits.
    assert results.ballot_by_receipt(cycle, codes[0]) == {park.id}
    result = invoke(app, "mix-ballots")
    assert result.exit_code == 0, result.output
    assert "3 ballots mixed into the box." in result.output
    assert (count(InboxBallot), count(Ballot)) == (0, 3)
    assert results.ballot_by_receipt(cycle, codes[0]) == {park.id}
    assert ballot_box.count(cycle) == 3


def test_a_mix_hides_new_ballots_among_older_ones(app, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    for n in range(ballot_box.MIX_SIZE):  # the last one starts a mix (jobs run inline here)
        voting.cast(factories.user(f"old{n}@example.fr", w.north), cycle, [park.id])
    assert (count(InboxBallot), count(Ballot)) == (0, ballot_box.MIX_SIZE)
    before = set(db.session.scalars(select(Ballot.id)))
    voting.cast(factories.user("new@example.fr", w.north), cycle, [park.id])
    assert ballot_box.mix() == 1
    # The new ballot went in beside MIX_SIZE - 1 older ones written again with it.
    assert count(Ballot) == ballot_box.MIX_SIZE + 1
    assert len(set(db.session.scalars(select(Ballot.id))) - before) == 1
