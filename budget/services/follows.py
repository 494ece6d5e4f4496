"""Residents follow proposals: on their account, never on a ballot (following says nothing of
a vote). A proposal's author follows it from its submission. What happens to a followed
proposal (a review decision, the vote's result, a stage of its delivery, a comment) is kept
as news, in the transaction of the change, for the daily digest (services/follow_digest.py).

Residents who opted in to delivery news (User.notify_delivery, on the account: ticked on the
account page or when voting, never recorded on a ballot) follow the winners of their envelopes
(their commune's and the intercommunal ones) from the publication on, so each change of stage
reaches them grouped in the same digest.

The email's unfollow link is signed (itsdangerous): it names one follow, works without signing
in, and lasts a year.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select

from budget.domain.delivery import IN_PROGRESS
from budget.domain.errors import DomainError, NotAllowed
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import (BudgetCycle, Commune, Follow, FollowNews, ProjectTracking, Proposal,
                           User)
from budget.services import policy, reading
from budget.services.policy import Action
from budget.services.transaction import unit_of_work, use_case

UNFOLLOW_LINK_SECONDS = 366 * 24 * 3600


def of(user, proposal: Proposal) -> Follow | None:
    """`user`'s follow of `proposal`, if they follow it."""
    if user is None or not user.is_authenticated or user.id is None:
        return None
    return db.session.scalar(select(Follow).where(Follow.user_id == user.id,
                                                  Follow.proposal_id == proposal.id))


def followed_by(user) -> list[Follow]:
    """What `user` follows, the latest first (their account page)."""
    return list(db.session.scalars(select(Follow).where(Follow.user_id == user.id)
                                   .order_by(Follow.created_at.desc(), Follow.id.desc())))


def add_author(proposal: Proposal) -> None:
    """The author follows their proposal: call it in the submission's unit of work."""
    db.session.add(Follow(user_id=proposal.author_id, proposal=proposal))


@use_case
def follow(user, proposal: Proposal, with_comments: bool = False) -> Follow:
    """Follow `proposal` (or change whether the comments come too); one commit. Raises
    NotAllowed (signed out, or the proposal is not theirs to read) or EmailNotVerified."""
    policy.check(user, Action.FOLLOW, proposal.cycle, proposal)
    if not reading.may_read_proposal(user, proposal):
        raise NotAllowed("You are not allowed to do this.")
    found = of(user, proposal)
    if found is None:
        found = Follow(user_id=user.id, proposal_id=proposal.id)
        db.session.add(found)
    found.with_comments = bool(with_comments)
    found.by_delivery_opt_in = False  # asked for: kept when delivery news are turned off
    return found


@use_case
def unfollow(user, proposal: Proposal) -> bool:
    """Stop following `proposal`; whether the person followed it."""
    found = of(user, proposal)
    if found is not None:
        db.session.delete(found)
    return found is not None


def record(proposal: Proposal, kind: str, detail: str = "", actor=None) -> None:
    """Keep news of `proposal` for its followers' digest: call it in the unit of work of the
    change (nothing is kept when nobody follows it)."""
    if db.session.scalar(select(Follow.id).where(Follow.proposal_id == proposal.id).limit(1)):
        db.session.add(FollowNews(proposal_id=proposal.id, kind=kind, detail=detail,
                                  actor_id=getattr(actor, "id", None)))


def record_results(cycle, winner_ids: set[int]) -> None:
    """Each proposal of the ballot won or was not funded: call it in the publication's unit of
    work."""
    on_ballot = db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id,
                                                          Proposal.status == Status.ON_BALLOT))
    for proposal in on_ballot:
        record(proposal, "status", "won" if proposal.id in winner_ids else "not_funded")


def _envelopes_of(user: User, record: ProjectTracking) -> bool:
    """Whether `record` is a winner of `user`'s envelopes: their commune's, or an
    intercommunal one of their intercommunalité."""
    commune = user.home_commune
    if commune is None:
        return False
    if record.commune_id is not None:
        return record.commune_id == commune.id
    return record.cycle.intercommunality_id == commune.intercommunality_id


def _follow_for_delivery(users: list[User], records: list[ProjectTracking]) -> None:
    """Each of `users` follows those of `records` that are winners of their envelopes, unless
    they already do (one query for the follows there are, whatever the number of users)."""
    if not users or not records:
        return
    followed = {tuple(row) for row in db.session.execute(
        select(Follow.user_id, Follow.proposal_id)
        .where(Follow.user_id.in_([u.id for u in users]),
               Follow.proposal_id.in_([r.proposal_id for r in records])))}
    for user in users:
        for record in records:
            if (user.id, record.proposal_id) not in followed and _envelopes_of(user, record):
                db.session.add(Follow(user_id=user.id, proposal_id=record.proposal_id,
                                      by_delivery_opt_in=True))
                followed.add((user.id, record.proposal_id))


def follow_published_winners(cycle: BudgetCycle, records: list[ProjectTracking]) -> None:
    """The residents of the cycle's territory who opted in to delivery news follow its new
    winners of their envelopes: call it in the publication's unit of work."""
    if not records:
        return
    where = (Commune.id == cycle.commune_id if cycle.commune_id is not None
             else Commune.intercommunality_id == cycle.intercommunality_id)
    _follow_for_delivery(list(db.session.scalars(
        select(User).join(Commune, User.home_commune_id == Commune.id)
        .where(User.notify_delivery.is_(True), where))), records)


def set_delivery_follows(user: User) -> None:
    """Make `user`'s follows agree with their opt-in (call it in the unit of work that sets
    User.notify_delivery): opted in, they follow the winners under way of their envelopes;
    opted out, the follows made for it go (those they asked for stay)."""
    if not user.notify_delivery:
        db.session.execute(delete(Follow).where(Follow.user_id == user.id,
                                                Follow.by_delivery_opt_in.is_(True)))
        return
    if user.home_commune is None:
        return
    under_way = db.session.scalars(
        select(ProjectTracking).join(BudgetCycle, ProjectTracking.cycle_id == BudgetCycle.id)
        .where(ProjectTracking.stage.in_(IN_PROGRESS),
               BudgetCycle.intercommunality_id == user.home_commune.intercommunality_id)
        .order_by(ProjectTracking.id)).all()
    _follow_for_delivery([user], under_way)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="unfollow")


def unfollow_token(follow_: Follow) -> str:
    return _signer().dumps({"follow": follow_.id, "user": follow_.user_id,
                            "proposal": follow_.proposal_id})


def follow_of_token(token: str) -> Follow | None:
    """The follow the link names: None when already undone. Raises DomainError when the link
    is forged, mangled or too old."""
    try:
        data = _signer().loads(token, max_age=UNFOLLOW_LINK_SECONDS)
    except BadSignature:  # also SignatureExpired
        raise DomainError("This unfollow link is invalid or has expired.") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int)
                                             for k in ("follow", "user", "proposal")):
        raise DomainError("This unfollow link is invalid or has expired.")
    found = db.session.get(Follow, data["follow"])
    if found is None or (found.user_id, found.proposal_id) != (data["user"], data["proposal"]):
        return None
    return found


def proposal_of_token(token: str) -> Proposal:
    """The proposal the link is about (to name it on the confirmation page)."""
    try:
        data = _signer().loads(token, max_age=UNFOLLOW_LINK_SECONDS)
    except BadSignature:
        raise DomainError("This unfollow link is invalid or has expired.") from None
    found = db.session.get(Proposal, data.get("proposal")) if isinstance(data, dict) \
        and isinstance(data.get("proposal"), int) else None
    if found is None:
        raise DomainError("This unfollow link is invalid or has expired.")
    return found


def unfollow_by_token(token: str) -> None:
    """Undo the follow the link names (done already: nothing to do). Raises DomainError."""
    with unit_of_work():
        found = follow_of_token(token)
        if found is not None:
            db.session.delete(found)
