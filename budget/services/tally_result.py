"""The result of a tally: each envelope's engine input, built from the ballot box, the rule's
outcome, and what the results page needs to explain it (votes, turnout, fairness)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from fractions import Fraction

from sqlalchemy import select

from budget.domain.errors import DomainError
from budget.domain.explanations import explain
from budget.domain.fingerprint import (ENGINE_VERSION, canonical_election, envelope_fingerprint,
                                       run_fingerprint)
from budget.domain.proposals import Status
from budget.domain.tally import RuleNotApplicable, tally
from budget.domain.tally.model import Election
from budget.extensions import db
from budget.models import Ballot, BallotSelection, BudgetCycle, Envelope, InboxBallot, Proposal
from budget.services.paper import paper_counts
from budget.services.stored_result import RESULT_VERSION

# Written down in the README: when the rule finds projects level (equal votes, equal price per
# supporter...), the cheaper one comes first (it leaves more money for the others); at equal
# cost, the one with more votes (which matters when the rule did not compare votes: points,
# Equal Shares); then the older proposal.
TIE_BREAK = "lowest-cost-most-votes-oldest"  # its wording for people: templating.TIE_BREAKS


# A ballot as the tally reads it: (proposal id, points) pairs, points None unless cumulative.
StoredBallot = frozenset


class BallotBox:
    """The closed ballot box of a cycle: each ballot's commune and what it chose."""

    def __init__(self, cycle: BudgetCycle):
        rows = db.session.execute(
            select(Ballot.id, Ballot.commune_id, Ballot.channel, BallotSelection.proposal_id,
                   BallotSelection.points)
            .outerjoin(BallotSelection, BallotSelection.ballot_id == Ballot.id)
            .where(Ballot.cycle_id == cycle.id)).all()
        commune_of, channel_of, chosen = {}, {}, defaultdict(set)
        for ballot_id, commune_id, channel, proposal_id, points in rows:
            commune_of[ballot_id], channel_of[ballot_id] = commune_id, channel
            if proposal_id is not None:
                chosen[ballot_id].add((proposal_id, points))
        # A tally seals the box first (ballot_box.seal); a ballot still waiting to be mixed in
        # is counted all the same, wherever it is read from.
        for ballot_id, commune_id, selections in db.session.execute(
                select(InboxBallot.id, InboxBallot.commune_id, InboxBallot.selections)
                .where(InboxBallot.cycle_id == cycle.id)):
            commune_of[ballot_id], channel_of[ballot_id] = commune_id, "online"
            chosen[ballot_id].update((project_id, points) for project_id, points in selections)
        self.by_commune: dict[int, list[StoredBallot]] = defaultdict(list)
        for ballot_id, commune_id in commune_of.items():
            self.by_commune[commune_id].append(frozenset(chosen[ballot_id]))
        self.by_channel = Counter(channel_of.values())
        self.paper_by_commune = Counter(commune_of[ballot_id] for ballot_id, channel
                                        in channel_of.items() if channel == "paper")

    @property
    def all(self) -> list[StoredBallot]:
        return [ballot for ballots in self.by_commune.values() for ballot in ballots]

    def for_envelope(self, envelope: Envelope) -> list[StoredBallot]:
        """Every ballot that had this envelope: all of them for the intercommunal one."""
        if envelope.is_intercommunal:
            return self.all
        return self.by_commune.get(envelope.commune_id, [])


def supported(ballot: StoredBallot) -> set[int]:
    """The proposals a ballot supports: all it names, or on a cumulative ballot those given
    points > 0 (an imported Pabulib file may name projects with 0 points)."""
    return {pid for pid, points in ballot if points is None or points > 0}


def _envelope_input(envelope: Envelope, projects: list[Proposal], ballots: list[StoredBallot],
                    cumulative: bool) -> tuple[Election, list[str], Counter, Counter]:
    """The engine's input for one envelope, its tie order, each project's votes (supporters)
    and, for a cumulative cycle, its total points (keyed by the projects' tally ids).

    A ballot that supports nothing in this envelope is not counted in it: its voter abstained
    there (under Equal Shares an abstainer's share would be money nobody can spend). A
    cumulative ballot goes to the engine as recorded, 0-point entries of imported files
    included, so that the tally of an imported file is the tally of the file itself.
    """
    tally_id = {p.id: p.tally_id for p in projects}
    grouped = Counter(frozenset((tally_id[pid], points) for pid, points in ballot
                                if pid in tally_id)
                      for ballot in ballots if not supported(ballot).isdisjoint(tally_id))
    votes, points = Counter(), Counter()
    for ballot, count in grouped.items():
        for pid, given in ballot:
            if given is None or given > 0:
                votes[pid] += count
            points[pid] += (given or 0) * count
    if cumulative:
        entries = [({pid: Fraction(given) for pid, given in ballot}, count)
                   for ballot, count in grouped.items()]
    else:
        entries = [(frozenset(pid for pid, _ in ballot), count)
                   for ballot, count in grouped.items()]
    election = Election(costs={p.tally_id: p.final_cost for p in projects},
                        budget=Fraction(envelope.amount), ballots=entries,
                        vote_type="cumulative" if cumulative else "approval")
    tie_order = [p.tally_id for p in sorted(
        projects, key=lambda p: (p.final_cost, -votes[p.tally_id], p.created_at, p.id))]
    return election, tie_order, votes, points


def _project_rows(projects, votes, points, outcome, explained) -> list[dict]:
    """One row per project, most votes first (most points first on cumulative ballots: the
    order greedy examines them); `points` only for a cumulative cycle."""
    rank = {pid: i + 1 for i, pid in enumerate(outcome.selected)}
    rows = []
    for p in projects:
        pid = p.tally_id
        explanation = explained.get(pid, {})
        row = {"id": p.id, "title": p.title, "cost": p.final_cost, "votes": votes[pid],
               "selected": pid in rank, "selection_rank": rank.get(pid),
               "explanation": explanation}
        if points is not None:
            row["points"] = points[pid]
        if p.external_id:
            row["external_id"] = p.external_id
        if explanation.get("kind", "").startswith("greedy-"):  # the short form the CSV uses
            row["status"] = explanation["kind"].removeprefix("greedy-")
            row["remaining_before"] = int(explanation["remaining_before"])
        rows.append(row)
    return sorted(rows, key=lambda row: (-row.get("points", 0), -row["votes"], row["cost"],
                                         row["id"]))


def _satisfied(ballots: list[StoredBallot], winners: set[int]) -> int:
    return sum(1 for ballot in ballots if supported(ballot) & winners)


def _paper_by_commune(cycle: BudgetCycle, box: BallotBox) -> dict[str, dict[str, int]]:
    not_counted = paper_counts(cycle)
    return {str(commune_id): {"ballots": box.paper_by_commune.get(commune_id, 0),
                              **not_counted.get(commune_id, {"blank": 0, "spoiled": 0})}
            for commune_id in set(box.paper_by_commune) | set(not_counted)}


def compute(cycle: BudgetCycle, rule: str, budget_factor: Fraction = Fraction(1),
            progress: Callable[[int], None] | None = None) -> tuple[str, dict]:
    """Tally every envelope of `cycle` with `rule`: (run fingerprint, result as plain JSON,
    version RESULT_VERSION, read back by stored_result.read); progress(1), if given, after
    each envelope.

    budget_factor scales every envelope's amount (rounded down to the euro), for simulations.
    Raises DomainError (field "rule") when the rule is not defined for the cycle's ballots
    (Phragmén on cumulative ballots, mes-points on approval ones), and the engine's UnknownRule
    / InvalidElection (ValueError).
    """
    cumulative = cycle.ballot_format.takes_points
    box = BallotBox(cycle)
    projects = db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.status == Status.ON_BALLOT)).all()
    fingerprints, envelopes, winners = {}, [], set()
    for envelope in cycle.envelopes:
        amount = int(envelope.amount * budget_factor)
        mine = [p for p in projects if p.envelope_id == envelope.id]
        election, tie_order, votes, points = _envelope_input(
            envelope, mine, box.for_envelope(envelope), cumulative)
        election = Election(election.costs, Fraction(amount), election.ballots,
                            election.vote_type)
        try:
            outcome = tally(rule, election, tie_order=tie_order)
        except RuleNotApplicable as error:
            raise DomainError("The rule “%(rule)s” cannot tally these ballots: %(reason)s.",
                                field="rule", rule=rule, reason=str(error)) from None
        explained, facts = explain(outcome.details, outcome.selected, election.costs)
        canonical = canonical_election(election)
        fingerprint = fingerprints[str(envelope.id)] = envelope_fingerprint(
            rule, canonical, tie_order)
        winners |= {p.id for p in mine if p.tally_id in set(outcome.selected)}
        envelopes.append({
            "id": envelope.id, "name": envelope.commune.name if envelope.commune else None,
            "commune_id": envelope.commune_id, "amount": amount,
            "voters": election.voter_count, "spent": int(outcome.cost),
            "fingerprint": fingerprint, **facts,
            # Exactly what was tallied: exports and re-runs start from this, never from the
            # live tables.
            "input": dict(canonical, tie_order=tie_order),
            "projects": _project_rows(mine, votes, points if cumulative else None, outcome,
                                      explained),
        })
        if progress:
            progress(1)
    result = {
        "version": RESULT_VERSION, "engine": ENGINE_VERSION, "rule": rule, "tie_break": TIE_BREAK,
        "ballots": len(box.all), "ballots_by_channel": dict(box.by_channel),
        "ballots_by_commune": {str(c): len(b) for c, b in box.by_commune.items()},
        # Paper ballots by commune: counted ones, and the blank and spoiled ones, never tallied.
        "paper_by_commune": _paper_by_commune(cycle, box),
        # Fairness: how many ballots have at least one funded project, overall and by commune.
        "satisfied": _satisfied(box.all, winners),
        "satisfied_by_commune": {str(c): _satisfied(b, winners)
                                 for c, b in box.by_commune.items()},
        "envelopes": envelopes,
    }
    return run_fingerprint(fingerprints), result
