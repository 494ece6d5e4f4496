"""The closed ballot box as the tally reads it (tally_result.compute): for each commune, each
distinct ballot and how many voters cast it."""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import String, cast, func, select, text

from budget.extensions import db
from budget.models import Ballot, BallotSelection, BudgetCycle, Envelope, InboxBallot

# A ballot as the tally reads it: (proposal id, points) pairs, points None unless cumulative.
StoredBallot = frozenset


class BallotBox:
    """The closed ballot box of a cycle, as counts of equal ballots: for each commune, each
    distinct ballot (what it chose) and how many voters cast it.

    The database groups the ballots (a key string per ballot, then a count per key), so a
    city's box comes back as its distinct ballots rather than one row per selection: Warszawa
    2026 is about 52,000 rows instead of 350,000, and no Python object per voter."""

    def __init__(self, cycle: BudgetCycle):
        self.by_commune: dict[int | None, Counter[StoredBallot]] = defaultdict(Counter)
        self.items: set[tuple[int, int | None]] = set()  # every (proposal, points) of a ballot
        by_channel: Counter[tuple[int | None, str]] = Counter()  # (commune, channel) -> ballots
        if db.session.get_bind().dialect.name == "postgresql":
            # the grouping's hash tables in memory rather than on disk, and no JIT compiling
            # of a query run once (this transaction only)
            db.session.execute(text("SET LOCAL work_mem = '64MB'"))
            db.session.execute(text("SET LOCAL jit = off"))
        parsed: dict[str | None, StoredBallot] = {None: frozenset()}
        items = _Items()
        item = items.__getitem__
        by_commune = self.by_commune
        # one pass per row, kept to dict operations: Paris's box is 250,000 rows
        for commune_id, channel, key, count in db.session.execute(_distinct_ballots(cycle)):
            ballot = parsed.get(key)
            if ballot is None:
                ballot = parsed[key] = frozenset(map(item, key.split(",")))
            ballots = by_commune[commune_id]
            ballots[ballot] = ballots.get(ballot, 0) + count
            pair = (commune_id, channel)
            by_channel[pair] = by_channel.get(pair, 0) + count
        self.items.update(items.values())
        # A tally seals the box first (ballot_box.seal); a ballot still waiting to be mixed in
        # is counted all the same, wherever it is read from.
        for commune_id, channel, selections in db.session.execute(
                select(InboxBallot.commune_id, InboxBallot.channel, InboxBallot.selections)
                .where(InboxBallot.cycle_id == cycle.id)):
            ballot = frozenset((project_id, points) for project_id, points in selections)
            by_commune[commune_id][ballot] += 1
            by_channel[commune_id, channel] += 1
            self.items.update(ballot)
        self.by_channel: Counter[str] = Counter()
        self.paper_by_commune: Counter[int | None] = Counter()
        self.kiosk_by_commune: Counter[int | None] = Counter()
        for (commune_id, channel), count in by_channel.items():
            self.by_channel[channel] += count
            if channel == "paper":
                self.paper_by_commune[commune_id] += count
            elif channel == "kiosk":
                self.kiosk_by_commune[commune_id] += count

    @property
    def all(self) -> Counter[StoredBallot]:
        """Every ballot of the box, whatever its commune."""
        every = Counter()
        for ballots in self.by_commune.values():
            every.update(ballots)
        return every

    def for_envelope(self, envelope: Envelope) -> list[Counter[StoredBallot]]:
        """The ballots that had this envelope, commune by commune: every commune's for the
        intercommunal one."""
        if envelope.is_intercommunal:
            return list(self.by_commune.values())
        return [self.by_commune.get(envelope.commune_id, Counter())]


def _distinct_ballots(cycle: BudgetCycle):
    """(commune, channel, key, count) of the cycle's ballots: key lists a ballot's selections
    as "proposal:points" (points empty when NULL), NULL for a ballot that names nothing. The
    order of a key's items is whatever the database gives: BallotBox makes a set of them, and the
    counts of keys that differ only in order are added together."""
    item = (cast(BallotSelection.proposal_id, String) + ":"
            + func.coalesce(cast(BallotSelection.points, String), ""))
    per_ballot = (select(Ballot.commune_id, Ballot.channel,
                         func.aggregate_strings(item, ",").label("key"))
                  .outerjoin(BallotSelection, BallotSelection.ballot_id == Ballot.id)
                  .where(Ballot.cycle_id == cycle.id)
                  .group_by(Ballot.id, Ballot.commune_id, Ballot.channel).subquery())
    return (select(per_ballot.c.commune_id, per_ballot.c.channel, per_ballot.c.key,
                   func.count())
            .group_by(per_ballot.c.commune_id, per_ballot.c.channel, per_ballot.c.key))


class _Items(dict):
    """A key's item ("proposal:points") -> (proposal id, points or None), each item parsed
    once: a box has tens of thousands of keys but only a few hundred distinct items."""

    def __missing__(self, item: str) -> tuple[int, int | None]:
        pid, _, points = item.partition(":")
        parsed = self[item] = (int(pid), int(points) if points else None)
        return parsed
