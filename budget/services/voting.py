"""Casting a ballot: checked on the server whatever the browser sent, written once."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.ballot_rules import BallotEnvelope, PointsSent, check_ballot, read_points
from budget.domain.errors import AlreadyVoted, InvalidBallot, NotAllowed
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import begin_write_transaction, db
from budget.models import BallotSelection, BudgetCycle, Envelope, Participation, Proposal
from budget.models.ballot import random_id
from budget.models.time import utcnow
from budget.services import ballot_box, ballot_speed, eligibility, notifications, policy
from budget.services.policy import Action
from budget.services.transaction import unit_of_work


@dataclass(frozen=True)
class BallotSection:
    """One envelope of a voter's ballot, with its projects."""

    envelope: Envelope
    projects: list[Proposal]

    def as_domain(self) -> BallotEnvelope:
        commune = self.envelope.commune
        return BallotEnvelope(id=self.envelope.id, name=_envelope_name(commune and commune.name),
                              amount=self.envelope.amount,
                              costs={p.id: p.final_cost for p in self.projects},
                              vote_format=self.vote_format)

    @property
    def vote_format(self):
        """This envelope's vote format: the cycle's with the envelope's own limits."""
        return self.envelope.cycle.format_for(self.envelope)


@dataclass(frozen=True)
class ReviewedSection:
    """One envelope of a ballot about to be confirmed: what the voter chose in it."""

    envelope: Envelope
    chosen: list[Proposal]
    cost: int  # of the chosen projects, in euros
    points: int  # given in this envelope (cumulative ballots; 0 otherwise)


def review_sections(sections: list[BallotSection], chosen: set[int],
                    points: dict[int, int]) -> list[ReviewedSection]:
    """The review page's summary of each envelope: `chosen` project ids, `points` per project
    id on cumulative ballots (empty otherwise)."""
    reviewed = []
    for section in sections:
        picked = [p for p in section.projects if p.id in chosen]
        reviewed.append(ReviewedSection(section.envelope, picked,
                                        sum(p.final_cost for p in picked),
                                        sum(points.get(p.id, 0) for p in picked)))
    return reviewed


def ballot_sections(cycle: BudgetCycle, commune_id: int,
                    voter_id: int | None = None) -> list[BallotSection]:
    """The ballot of a commune's residents: its envelope's projects, then the intercommunal.
    With `voter_id`, each envelope's projects are in that voter's own random order (the same
    on each visit, another for each voter: no project gains from its place on the ballot);
    without, by title (the paper ballots staff type in)."""
    envelopes = cycle.envelopes_for(commune_id)
    projects = db.session.scalars(
        select(Proposal).where(Proposal.envelope_id.in_([e.id for e in envelopes]),
                               Proposal.status == Status.ON_BALLOT)
        .order_by(Proposal.title, Proposal.id)).all()
    if voter_id is not None:
        projects = sorted(projects, key=lambda p: _shuffle_key(cycle.id, voter_id, p.id))
    return [BallotSection(e, [p for p in projects if p.envelope_id == e.id]) for e in envelopes]


def _shuffle_key(cycle_id: int, voter_id: int, project_id: int) -> bytes:
    return hashlib.sha256(f"{cycle_id}:{voter_id}:{project_id}".encode()).digest()


def has_voted(user, cycle: BudgetCycle) -> bool:
    return db.session.scalar(select(Participation.id).where(
        Participation.cycle_id == cycle.id, Participation.user_id == user.id)) is not None


def check(user, cycle: BudgetCycle, selected: list[int] | PointsSent) -> None:
    """Raise unless `user` may cast this ballot now.

    selected: the chosen project ids, or for a format that takes points (cumulative) project
    id -> points, as ints or as the text a form sent (ballot_rules.read_points). Raises
    NotAllowed, WrongPhase, AlreadyVoted, NotEligible, InvalidBallot (every broken rule).
    """
    policy.check(user, Action.VOTE, cycle)
    if has_voted(user, cycle):
        raise AlreadyVoted("You have already voted in this budget cycle.")
    eligibility.check_may_vote(user, cycle)
    check_choices(cycle, user.home_commune_id, selected)


def check_choices(cycle: BudgetCycle, commune_id: int,
                  selected: list[int] | PointsSent) -> None:
    """Raise InvalidBallot unless `selected` is a valid ballot of `commune_id`'s residents
    (online or on paper). `selected` as for check()."""
    if not cycle.ballot_format.takes_points and len(set(selected)) != len(selected):
        raise InvalidBallot([NotAllowed("A project was chosen twice.")])
    problems = check_ballot(cycle.ballot_format, ballot_rules(cycle, commune_id), selected)
    if problems:
        raise InvalidBallot(problems)


def ballot_rules(cycle: BudgetCycle, commune_id: int) -> tuple[BallotEnvelope, ...]:
    """What checking a ballot needs (envelopes, project costs), without the projects' texts:
    casting reads three columns instead of every project's description."""
    if cycle.commune_id is not None and commune_id != cycle.commune_id:
        return ()  # as Cycle.envelopes_for, in one query that loads no object
    if cycle.phase() != Phase.VOTE:
        return _read_ballot_rules(cycle, commune_id)
    # Frozen during the vote: kept a few seconds per process (ballot_speed says why).
    key = (cycle.id, cycle.vote_start, commune_id, str(get_locale()))  # names are translated
    return ballot_speed.kept_rules(key, lambda: _read_ballot_rules(cycle, commune_id))


def _read_ballot_rules(cycle: BudgetCycle, commune_id: int) -> tuple[BallotEnvelope, ...]:
    rows = db.session.execute(ballot_speed.ballot_rules_query(),
                              {"rules_cycle": cycle.id, "rules_commune": commune_id}).all()
    envelopes: dict[int, BallotEnvelope] = {}
    for envelope_id, envelope_commune, name, amount, limits, project_id, cost in rows:
        if envelope_id not in envelopes:
            envelopes[envelope_id] = BallotEnvelope(
                id=envelope_id, amount=amount, costs={},
                name=_envelope_name(name if envelope_commune else None),
                vote_format=cycle.format_with(limits))
        if project_id is not None:
            envelopes[envelope_id].costs[project_id] = cost
    return tuple(envelopes.values())


def _record_ballot(cycle: BudgetCycle, user, code: str, rows: list[BallotSelection]) -> None:
    """Plain INSERTs built once, not the ORM's unit of work: on the busiest evening of a vote,
    its bookkeeping and building the statements cost more than the database's work
    (ballot_speed). The ballot goes to the inbox, not the box: services/ballot_box.py says
    why."""
    ballot_speed.insert_ballot({
        "v_cycle": cycle.id, "v_user": user.id, "v_at": utcnow(), "v_ballot": random_id(),
        "v_commune": user.home_commune_id, "v_receipt": receipt_hash(code),
        "v_selections": [[row.proposal_id, row.points] for row in rows]})


def _envelope_name(commune_name: str | None) -> str:
    return commune_name or gettext("Intercommunal envelope")


def cast(user, cycle: BudgetCycle, selected: list[int] | PointsSent,
         check_url: str | None = None) -> str:
    """Record the ballot and the participation in one transaction; return the receipt code,
    also emailed to the voter (with `check_url`, the receipt check page). `selected` as for
    check(); a cumulative ballot records only the projects given points > 0.

    The UNIQUE constraint on participations is the guarantee of one ballot per voter: when two
    requests race, the second insert fails and nothing of it is kept.
    """
    with unit_of_work():
        begin_write_transaction()
        policy.check(user, Action.VOTE, cycle)
        # Holds the voter's census entry or code until the commit: a paper vote recorded with
        # it at the same moment waits, then sees this participation (services/paper_voters.py).
        eligibility.check_may_vote(user, cycle, lock=True)
        check_choices(cycle, user.home_commune_id, selected)
        # Whether they have voted already is answered by that constraint, not by one more query.
        voter = notifications.Voter(user.email, user.display_name, cycle.title)
        code = new_receipt_code()
        try:
            _record_ballot(cycle, user, code, selection_rows(cycle, selected))
        except IntegrityError:
            raise AlreadyVoted("You have already voted in this budget cycle.") from None
    # Once committed: the email and the mix never tell of a ballot that was not kept.
    notifications.vote_recorded(voter, code, check_url)
    ballot_box.mix_when_due()
    return code


def selection_rows(cycle: BudgetCycle, selected: list[int] | PointsSent) -> list[BallotSelection]:
    """The rows of a checked ballot: a 0 is no choice, so it is not recorded."""
    if not cycle.ballot_format.takes_points:
        return [BallotSelection(proposal_id=pid) for pid in sorted(selected)]
    points = read_points(selected)
    return [BallotSelection(proposal_id=pid, points=points[pid])
            for pid in sorted(points) if points[pid] > 0]
