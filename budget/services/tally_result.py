"""The result of a tally: each envelope's engine input, built from the ballot box, the rule's
outcome, and what the results page needs to explain it (votes, turnout, fairness)."""
from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from itertools import compress

from sqlalchemy import select

from budget.domain.errors import DomainError
from budget.domain.explanations import explain
from budget.domain.fingerprint import (ENGINE_VERSION, canonical_election, envelope_fingerprint,
                                       run_fingerprint)
from budget.domain.proposals import Status
from budget.domain.relabel import member_counts, relabel
from budget.domain.tally import RuleNotApplicable, tally
from budget.domain.tally.model import Election
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, Proposal
from budget.services.paper import paper_counts
from budget.services.stored_result import RESULT_VERSION
from budget.services.tally_box import BallotBox, StoredBallot

# Written down in the README: when the rule finds projects level (equal votes, equal price per
# supporter...), the cheaper one comes first (it leaves more money for the others); at equal
# cost, the one with more votes (which matters when the rule did not compare votes: points,
# Equal Shares); then the older proposal.
TIE_BREAK = "lowest-cost-most-votes-oldest"  # its wording for people: templating.TIE_BREAKS


def supported(ballot: StoredBallot) -> set[int]:
    """The proposals a ballot supports: all it names, or on a cumulative ballot those given
    points > 0 (an imported Pabulib file may name projects with 0 points)."""
    return {pid for pid, points in ballot if points is None or points > 0}


def _envelope_input(envelope: Envelope, projects: list[Proposal],
                    boxes: list[Counter[StoredBallot]], items: set, cumulative: bool
                    ) -> tuple[Election, list[str], Counter, Counter]:
    """The engine's input for one envelope, its tie order, each project's votes (supporters)
    and, for a cumulative cycle, its total points (keyed by the projects' tally ids).

    A ballot that supports nothing in this envelope is not counted in it: its voter abstained
    there (under Equal Shares an abstainer's share would be money nobody can spend). A
    cumulative ballot goes to the engine as recorded, 0-point entries of imported files
    included, so that the tally of an imported file is the tally of the file itself.
    """
    tally_id = {p.id: p.tally_id for p in projects}
    votes, points = Counter(), Counter()
    if cumulative:
        ballots = Counter()
        for box in boxes:
            ballots.update(box)
        entries = _cumulative_entries(ballots, tally_id, votes, points)
    else:  # an approval or knapsack ballot supports every project it names
        # the envelope's ballots as sets of its projects' tally ids, equal ones counted
        # together, in the order they first come; one naming none of its projects is left out
        # (its voter abstained here)
        grouped = relabel(boxes, {item: tally_id[item[0]] for item in items
                                  if item[0] in tally_id})
        votes = member_counts(grouped)
        entries = list(grouped.items())
    election = Election(costs={p.tally_id: p.final_cost for p in projects},
                        budget=Fraction(envelope.amount), ballots=entries,
                        vote_type="cumulative" if cumulative else "approval")
    tie_order = [p.tally_id for p in sorted(
        projects, key=lambda p: (p.final_cost, -votes[p.tally_id], p.created_at, p.id))]
    return election, tie_order, votes, points


def _cumulative_entries(ballots: Counter[StoredBallot], tally_id: dict[int, str],
                        votes: Counter, points: Counter) -> list[tuple[dict, int]]:
    """The engine's cumulative ballots of one envelope; counts each project's votes (voters
    giving it points) and points."""
    grouped = Counter()
    for ballot, count in ballots.items():
        if not supported(ballot).isdisjoint(tally_id):
            grouped[frozenset((tally_id[pid], given) for pid, given in ballot
                              if pid in tally_id)] += count
    for ballot, count in grouped.items():
        for pid, given in ballot:
            if given is None or given > 0:
                votes[pid] += count
            points[pid] += (given or 0) * count
    return [({pid: Fraction(given) for pid, given in ballot}, count)
            for ballot, count in grouped.items()]


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


def _satisfied(ballots: Counter[StoredBallot], winning: set[tuple[int, int | None]]) -> int:
    """How many of `ballots` support at least one winner: name one of the `winning` items
    (a winner with its points, when they are None or > 0)."""
    naming_none = compress(ballots.values(), map(winning.isdisjoint, ballots))
    return ballots.total() - sum(naming_none)


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
    # A city's tally makes a Python object per distinct ballot and per envelope (Paris: about
    # a million frozensets and tuples), none in a reference cycle: the collector's passes
    # over them as they are made cost as much as making them (1.5-2 s of Paris's count), so
    # it waits until the result is built, as the engine's prepare() does.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute(cycle, rule, budget_factor, progress)
    finally:
        if enabled:
            gc.enable()


def _compute(cycle: BudgetCycle, rule: str, budget_factor: Fraction,
             progress: Callable[[int], None] | None) -> tuple[str, dict]:
    cumulative = cycle.ballot_format.takes_points
    box = BallotBox(cycle)
    projects = db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.status == Status.ON_BALLOT)).all()
    fingerprints, envelopes, winners = {}, [], set()
    for envelope in cycle.envelopes:
        amount = int(envelope.amount * budget_factor)
        mine = [p for p in projects if p.envelope_id == envelope.id]
        election, tie_order, votes, points = _envelope_input(
            envelope, mine, box.for_envelope(envelope), box.items, cumulative)
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
    winning = {item for item in box.items if item[0] in winners and supported((item,))}
    satisfied = {str(c): _satisfied(b, winning) for c, b in box.by_commune.items()}
    result = {
        "version": RESULT_VERSION, "engine": ENGINE_VERSION, "rule": rule, "tie_break": TIE_BREAK,
        "ballots": box.by_channel.total(), "ballots_by_channel": dict(box.by_channel),
        "ballots_by_commune": {str(c): b.total() for c, b in box.by_commune.items()},
        # Paper ballots by commune: counted ones, and the blank and spoiled ones, never tallied.
        "paper_by_commune": _paper_by_commune(cycle, box),
        # Kiosk ballots by commune (a count, as for paper: never which station nor when).
        "kiosk_by_commune": {str(c): n for c, n in box.kiosk_by_commune.items()},
        # Fairness: how many ballots have at least one funded project, overall and by commune.
        "satisfied": sum(satisfied.values()),
        "satisfied_by_commune": satisfied,
        "envelopes": envelopes,
    }
    return run_fingerprint(fingerprints), result
