"""Residents discuss a proposal: comments, one level of replies, a short window to correct
one's own comment, and the cycle's charter accepted before a first comment.

The policy (Action.COMMENT) says who may comment, in which phases and where blocked; the
proposal's author is emailed (notifications.comment_posted) once a comment is committed.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from budget.domain.discussion import check_body, check_reply_target, may_edit
from budget.domain.errors import DomainError, NotAllowed
from budget.extensions import begin_write_transaction, db
from budget.models import Charter, CharterAcceptance, Comment, Proposal
from budget.models.time import utcnow
from budget.services import reading
from budget.services import follows, notifications, policy
from budget.services.policy import Action
from budget.services.transaction import unit_of_work


@dataclass(frozen=True)
class Thread:
    """A first comment and its replies, oldest first."""

    comment: Comment
    replies: list[Comment]


def threads(user, proposal: Proposal) -> list[Thread]:
    """The proposal's conversations, oldest first; none for whom the policy says no.
    Hidden comments stay in place (the template shows the moderators' reason instead)."""
    if not reading.may_read_comments(user, proposal):
        return []
    comments = db.session.scalars(select(Comment).where(Comment.proposal_id == proposal.id)
                                  .options(selectinload(Comment.author))
                                  .order_by(Comment.created_at, Comment.id)).all()
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [Thread(c, replies.get(c.id, [])) for c in comments if c.parent_id is None]


def comment_counts(proposal_ids) -> dict[int, int]:
    """Proposal id -> how many of its comments are shown (hidden ones are not counted)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Comment.proposal_id, func.count()).where(
            Comment.proposal_id.in_(ids), Comment.hidden_at.is_(None))
        .group_by(Comment.proposal_id)).all()
    return dict(rows)


def charter_text(cycle) -> str:
    """The cycle's charter as staff wrote it, or the platform's own."""
    charter = db.session.get(Charter, cycle.id)
    if charter is not None:
        return charter.body
    return gettext(
        "Comments help improve the proposals. Be courteous and stay on the subject: no "
        "insults, no personal attacks, no discrimination, no advertising, no private "
        "information about anyone. Moderators of the territory hide what breaks this charter, "
        "with their reason, and may block an account that keeps breaking it.")


def has_accepted_charter(user, cycle) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(CharterAcceptance, (user.id, cycle.id)) is not None


def post(user, proposal: Proposal, body: str, accepts_charter: bool = False,
         parent: Comment | None = None, page_url: str | None = None) -> Comment:
    """A comment on `proposal`, or with `parent` a reply to one of its first comments; one
    commit, then the proposal's author is emailed (not for their own comments). A first
    comment in the cycle needs `accepts_charter`. Raises NotAllowed, WrongPhase,
    EmailNotVerified or DomainError; nothing is saved then."""
    cycle = proposal.cycle
    with unit_of_work():
        begin_write_transaction()
        policy.check(user, Action.COMMENT, cycle, proposal)
        if not reading.may_read_proposal(user, proposal):
            raise NotAllowed("You are not allowed to do this.")
        text = check_body(body)
        if parent is not None:
            if parent.proposal_id != proposal.id:
                raise DomainError("This reply does not belong to this proposal.")
            check_reply_target(parent.parent_id)
            if parent.is_hidden:
                raise DomainError("This comment was hidden by the moderators: it takes no "
                                  "more replies.")
        if not has_accepted_charter(user, cycle):
            if not accepts_charter:
                raise DomainError("Accept the charter of participation to post your first "
                                  "comment.", field="accept_charter")
            db.session.add(CharterAcceptance(user_id=user.id, cycle_id=cycle.id))
        comment = Comment(proposal_id=proposal.id, author_id=user.id, body=text,
                          parent_id=parent.id if parent else None)
        db.session.add(comment)
        follows.record(proposal, "comment", actor=user)
    if proposal.author_id != user.id:
        notifications.comment_posted(comment, page_url)
    return comment


def editable(user, comment: Comment, now=None) -> bool:
    """Whether `user` may still correct `comment` (theirs, shown, within the window, in a
    phase and a place where they may comment)."""
    return (getattr(user, "id", None) == comment.author_id and not comment.is_hidden
            and may_edit(comment.created_at, now or utcnow())
            and policy.can(user, Action.COMMENT, comment.proposal.cycle, comment.proposal))


def edit(user, comment: Comment, body: str) -> None:
    """Correct one's own comment within EDIT_WINDOW of its posting; one commit. Raises
    NotAllowed (not theirs), WrongPhase, or DomainError (window over, hidden, bad text)."""
    with unit_of_work():
        if comment.author_id != user.id:
            raise NotAllowed("You are not allowed to do this.")
        policy.check(user, Action.COMMENT, comment.proposal.cycle, comment.proposal)
        if comment.is_hidden:
            raise DomainError("This comment was hidden by the moderators.")
        now = utcnow()
        if not may_edit(comment.created_at, now):
            raise DomainError("A comment can be corrected during 15 minutes after it is "
                              "posted.")
        comment.body = check_body(body)
        comment.edited_at = now
