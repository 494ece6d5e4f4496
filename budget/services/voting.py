"""Casting a ballot: checked on the server whatever the browser sent, written once."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.ballot_rules import BallotEnvelope, PointsSent, check_ballot, read_points
from budget.domain.errors import AlreadyVoted, InvalidBallot, NotAllowed
from budget.domain.proposals import Status
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import begin_write_transaction, db
from budget.models import Ballot, BallotSelection, BudgetCycle, Envelope, Participation, Proposal
from budget.models.time import utcnow
from budget.services import eligibility, notifications, policy
from budget.services.policy import Action


@dataclass(frozen=True)
class BallotSection:
    """One envelope of a voter's ballot, with its projects."""

    envelope: Envelope
    projects: list[Proposal]

    def as_domain(self) -> BallotEnvelope:
        name = (self.envelope.commune.name if self.envelope.commune
                else gettext("Intercommunal envelope"))
        return BallotEnvelope(id=self.envelope.id, name=name, amount=self.envelope.amount,
                              costs={p.id: p.final_cost for p in self.projects},
                              vote_format=self.vote_format)

    @property
    def vote_format(self):
        """This envelope's vote format: the cycle's with the envelope's own limits."""
        return self.envelope.cycle.format_for(self.envelope)


def ballot_sections(cycle: BudgetCycle, commune_id: int) -> list[BallotSection]:
    """The ballot of a commune's residents: its envelope's projects, then the intercommunal."""
    envelopes = cycle.envelopes_for(commune_id)
    projects = db.session.scalars(
        select(Proposal).where(Proposal.envelope_id.in_([e.id for e in envelopes]),
                               Proposal.status == Status.ON_BALLOT)
        .order_by(Proposal.title, Proposal.id)).all()
    return [BallotSection(e, [p for p in projects if p.envelope_id == e.id]) for e in envelopes]


def has_voted(user, cycle: BudgetCycle) -> bool:
    return db.session.scalar(select(Participation.id).where(
        Participation.cycle_id == cycle.id, Participation.user_id == user.id)) is not None


def check(user, cycle: BudgetCycle, selected: list[int] | PointsSent) -> list[BallotSection]:
    """Raise unless `user` may cast this ballot now; returns the ballot's sections.

    selected: the chosen project ids, or for a format that takes points (cumulative) project
    id -> points, as ints or as the text a form sent (ballot_rules.read_points). Raises
    NotAllowed, WrongPhase, AlreadyVoted, NotEligible, InvalidBallot (every broken rule).
    """
    policy.check(user, Action.VOTE, cycle)
    if has_voted(user, cycle):
        raise AlreadyVoted("You have already voted in this budget cycle.")
    eligibility.check_may_vote(user, cycle)
    return check_choices(cycle, user.home_commune_id, selected)


def check_choices(cycle: BudgetCycle, commune_id: int,
                  selected: list[int] | PointsSent) -> list[BallotSection]:
    """Raise InvalidBallot unless `selected` is a valid ballot of `commune_id`'s residents
    (online or on paper); returns the ballot's sections. `selected` as for check()."""
    if not cycle.ballot_format.takes_points and len(set(selected)) != len(selected):
        raise InvalidBallot([NotAllowed("A project was chosen twice.")])
    sections = ballot_sections(cycle, commune_id)
    problems = check_ballot(cycle.ballot_format, [s.as_domain() for s in sections], selected)
    if problems:
        raise InvalidBallot(problems)
    return sections


def cast(user, cycle: BudgetCycle, selected: list[int] | PointsSent,
         check_url: str | None = None) -> str:
    """Record the ballot and the participation in one transaction; return the receipt code,
    also emailed to the voter (with `check_url`, the receipt check page). `selected` as for
    check(); a cumulative ballot records only the projects given points > 0.

    The UNIQUE constraint on participations is the guarantee of one ballot per voter: when two
    requests race, the second insert fails and nothing of it is kept.
    """
    begin_write_transaction()
    # Holds the voter's census entry or code until the commit: a paper vote recorded with it
    # at the same moment waits, then sees this participation (services/paper_voters.py).
    eligibility.check_may_vote(user, cycle, lock=True)
    check(user, cycle, selected)
    voter = notifications.Voter(user.email, user.display_name, cycle.title)
    code = new_receipt_code()
    db.session.add(Participation(cycle_id=cycle.id, user_id=user.id))
    ballot = Ballot(cycle_id=cycle.id, commune_id=user.home_commune_id,
                    receipt_hash=receipt_hash(code), cast_on=utcnow().date(), channel="online")
    ballot.selections = selection_rows(cycle, selected)
    db.session.add(ballot)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyVoted("You have already voted in this budget cycle.") from None
    notifications.vote_recorded(voter, code, check_url)
    return code


def selection_rows(cycle: BudgetCycle, selected: list[int] | PointsSent) -> list[BallotSelection]:
    """The rows of a checked ballot: a 0 is no choice, so it is not recorded."""
    if not cycle.ballot_format.takes_points:
        return [BallotSelection(proposal_id=pid) for pid in sorted(selected)]
    points = read_points(selected)
    return [BallotSelection(proposal_id=pid, points=points[pid])
            for pid in sorted(points) if points[pid] > 0]
