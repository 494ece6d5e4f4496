"""Running the tally of a closed vote, and publishing it."""
from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

from sqlalchemy import func, select, text

from budget.domain.errors import DomainError
from budget.domain.fingerprint import (ENGINE_VERSION, canonical_election, envelope_fingerprint,
                                       run_fingerprint)
from budget.domain.proposals import Status
from budget.domain.tally import tally
from budget.domain.tally.model import Election
from budget.extensions import db
from budget.models import Ballot, BallotSelection, BudgetCycle, Envelope, Proposal, TallyRun
from budget.models.time import utcnow
from budget.services import policy
from budget.services.policy import Action

# Written down in the README: among projects with equal votes, the cheaper one is funded first
# (it leaves more money for the others), then the one with more votes, then the older proposal.
TIE_BREAK = "lowest-cost-most-votes-oldest"  # its wording for people: templating.TIE_BREAKS


def _ballots_by_commune(cycle: BudgetCycle) -> dict[int, list[frozenset[int]]]:
    rows = db.session.execute(
        select(Ballot.id, Ballot.commune_id, BallotSelection.proposal_id)
        .outerjoin(BallotSelection, BallotSelection.ballot_id == Ballot.id)
        .where(Ballot.cycle_id == cycle.id)).all()
    communes, selections = {}, defaultdict(set)
    for ballot_id, commune_id, proposal_id in rows:
        communes[ballot_id] = commune_id
        if proposal_id is not None:
            selections[ballot_id].add(proposal_id)
    by_commune = defaultdict(list)
    for ballot_id, commune_id in communes.items():
        by_commune[commune_id].append(frozenset(selections[ballot_id]))
    return by_commune


def _envelope_input(envelope: Envelope, projects: list[Proposal],
                    ballots: list[frozenset[int]]) -> tuple[Election, list[str], Counter]:
    """The engine's input for one envelope: every ballot that had this envelope counts."""
    ids = {p.id for p in projects}
    grouped = Counter(frozenset(str(pid) for pid in ballot & ids) for ballot in ballots)
    votes = Counter()
    for ballot, count in grouped.items():
        for pid in ballot:
            votes[pid] += count
    election = Election(costs={str(p.id): p.final_cost for p in projects},
                        budget=Fraction(envelope.amount), ballots=list(grouped.items()))
    tie_order = [str(p.id) for p in sorted(
        projects, key=lambda p: (p.final_cost, -votes[str(p.id)], p.created_at, p.id))]
    return election, tie_order, votes


def _explanation(examined_row: dict | None) -> dict:
    """What a greedy rule saw when it reached the project: why it was funded or not."""
    if examined_row is None:
        return {}
    return {"status": examined_row["status"],
            "remaining_before": int(examined_row["remaining_before"])}


def compute(cycle: BudgetCycle, rule: str) -> tuple[str, dict]:
    """Tally every envelope of `cycle` with `rule`: (fingerprint, result as plain JSON)."""
    by_commune = _ballots_by_commune(cycle)
    all_ballots = [b for ballots in by_commune.values() for b in ballots]
    projects = db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.status == Status.ON_BALLOT)).all()
    fingerprints, envelopes = {}, []
    for envelope in cycle.envelopes:
        mine = [p for p in projects if p.envelope_id == envelope.id]
        ballots = all_ballots if envelope.is_intercommunal else by_commune.get(
            envelope.commune_id, [])
        election, tie_order, votes = _envelope_input(envelope, mine, ballots)
        outcome = tally(rule, election, tie_order=tie_order)
        fingerprints[str(envelope.id)] = envelope_fingerprint(rule, election, tie_order)
        selected = set(outcome.selected)
        rank = {pid: i + 1 for i, pid in enumerate(outcome.selected)}
        examined = {row["project"]: row for row in outcome.details.get("examined", ())}
        envelopes.append({
            "id": envelope.id, "name": envelope.commune.name if envelope.commune else None,
            "commune_id": envelope.commune_id, "amount": envelope.amount,
            "voters": election.voter_count, "spent": int(outcome.cost),
            "fingerprint": fingerprints[str(envelope.id)],
            # Exactly what was tallied: exports and re-runs start from this, never from the
            # live tables.
            "input": dict(canonical_election(election), tie_order=tie_order),
            "projects": sorted(({
                "id": p.id, "title": p.title, "cost": p.final_cost,
                "votes": votes[str(p.id)], "selected": str(p.id) in selected,
                "selection_rank": rank.get(str(p.id)),
                **_explanation(examined.get(str(p.id))),
            } for p in mine), key=lambda row: (-row["votes"], row["cost"], row["id"])),
        })
    result = {"engine": ENGINE_VERSION, "rule": rule, "tie_break": TIE_BREAK,
              "ballots": len(all_ballots),
              "ballots_by_commune": {str(c): len(b) for c, b in by_commune.items()},
              "envelopes": envelopes}
    return run_fingerprint(fingerprints), result


def seal_ballot_box() -> None:
    """PostgreSQL appends rows to a table in insertion order, so the storage order of ballots
    would follow the order of the voter list. Once the vote is closed, rewrite the ballot
    tables in the order of their random ids. (SQLite stores them WITHOUT ROWID: already so.)"""
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("CLUSTER ballots USING pk_ballots"))
        db.session.execute(text("CLUSTER ballot_selections USING pk_ballot_selections"))


def run_tally(user, cycle: BudgetCycle) -> TallyRun:
    """Tally the closed vote with the cycle's rule and store the run (not yet published)."""
    policy.check(user, Action.RUN_TALLY, cycle)
    seal_ballot_box()
    digest, result = compute(cycle, cycle.tally_rule)
    run = TallyRun(cycle_id=cycle.id, rule=cycle.tally_rule, fingerprint=digest,
                   result=result, created_by_id=user.id)
    db.session.add(run)
    db.session.commit()
    return run


def latest_run(cycle: BudgetCycle) -> TallyRun | None:
    return db.session.scalar(select(TallyRun).where(TallyRun.cycle_id == cycle.id)
                             .order_by(TallyRun.id.desc()).limit(1))


def publish(user, cycle: BudgetCycle, run_id: int) -> TallyRun:
    policy.check(user, Action.PUBLISH_RESULTS, cycle)
    run = db.session.get(TallyRun, run_id)
    if run is None or run.cycle_id != cycle.id:
        raise DomainError("This tally run does not belong to this cycle.")
    if run.id != latest_run(cycle).id:
        raise DomainError("Only the latest tally run can be published.")
    run.published_at = utcnow()
    db.session.commit()
    return run


def ballot_count(cycle: BudgetCycle) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot)
                             .where(Ballot.cycle_id == cycle.id))
