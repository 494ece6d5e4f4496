"""Moderation: reports from anyone signed in, and the decisions of the staff of the
territory (hide a comment with a reason, restore it, dismiss a report, block an account from
commenting), each in the audit log; and the cycle's charter, written by staff."""
from __future__ import annotations

from sqlalchemy import Select, select

from budget.domain.discussion import MAX_COMMENT, check_reason
from budget.domain.errors import DomainError, NotAllowed
from budget.extensions import db
from budget.models import (Charter, Comment, CommentBlock, Commune, Envelope, Proposal, Report,
                           Role)
from budget.models.time import utcnow
from budget.services import reading
from budget.services import audit, blocks, policy
from budget.services.policy import Action
from budget.services.transaction import use_case


@use_case
def report(user, proposal: Proposal, reason: str, comment: Comment | None = None) -> Report:
    """Report `proposal`, or one of its comments, to the moderators; one commit. Raises
    NotAllowed (one cannot read it) or DomainError (no reason, or already reported and not
    yet decided)."""
    policy.check(user, Action.REPORT, proposal.cycle, proposal)
    if not reading.may_read_proposal(user, proposal) or (
            comment is not None and comment.proposal_id != proposal.id):
        raise NotAllowed("You are not allowed to do this.")
    text = check_reason(reason)
    pending = db.session.scalar(select(Report.id).where(
        Report.reporter_id == user.id, Report.proposal_id == proposal.id,
        Report.comment_id == comment.id if comment else Report.comment_id.is_(None),
        Report.resolved_at.is_(None)).limit(1))
    if pending is not None:
        raise DomainError("You already reported this; the moderators will look at it.",
                          field="reason")
    found = Report(reporter_id=user.id, proposal_id=proposal.id,
                   comment_id=comment.id if comment else None, reason=text)
    db.session.add(found)
    return found


def queue(user, cycle) -> Select:
    """The cycle's open reports that `user` moderates, oldest first (a statement, to be
    paginated): all of them for intercommunal staff, their commune's for commune staff."""
    statement = (select(Report).join(Proposal, Report.proposal_id == Proposal.id)
                 .where(Proposal.cycle_id == cycle.id, Report.resolved_at.is_(None))
                 .order_by(Report.created_at, Report.id))
    if user.role == Role.COMMUNE_STAFF:
        statement = statement.join(Envelope, Proposal.envelope_id == Envelope.id).where(
            Envelope.commune_id == user.works_for_commune_id)
    elif not policy.concerns(user, Action.MODERATE, cycle):
        statement = statement.where(False)
    return statement


def hidden_comments(user, cycle) -> list[Comment]:
    """The cycle's hidden comments that `user` moderates, newest first (to restore one)."""
    found = db.session.scalars(
        select(Comment).join(Proposal, Comment.proposal_id == Proposal.id)
        .where(Proposal.cycle_id == cycle.id, Comment.hidden_at.is_not(None))
        .order_by(Comment.hidden_at.desc()).limit(100)).all()
    return [c for c in found if policy.concerns(user, Action.MODERATE, cycle, c.proposal)]


def _resolve_reports(user, comment: Comment, outcome: str) -> None:
    for open_report in db.session.scalars(select(Report).where(
            Report.comment_id == comment.id, Report.resolved_at.is_(None))):
        open_report.resolved_at, open_report.resolved_by_id = utcnow(), user.id
        open_report.outcome = outcome


def _state(comment: Comment) -> dict:
    return {"hidden": comment.is_hidden, "reason": comment.hidden_reason,
            "proposal_id": comment.proposal_id}


@use_case
def hide(user, comment: Comment, reason: str) -> None:
    """Hide a comment; `reason` is shown in its place. Its open reports are settled."""
    proposal = comment.proposal
    policy.check(user, Action.MODERATE, proposal.cycle, proposal)
    text = check_reason(reason)
    if comment.is_hidden:
        raise DomainError("This comment is already hidden.")
    before = _state(comment)
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), user.id, text
    _resolve_reports(user, comment, "hidden")
    audit.record(user, "comment.hide", comment, cycle=proposal.cycle_id, before=before,
                 after=_state(comment))


@use_case
def restore(user, comment: Comment) -> None:
    """Show a hidden comment again."""
    proposal = comment.proposal
    policy.check(user, Action.MODERATE, proposal.cycle, proposal)
    if not comment.is_hidden:
        raise DomainError("This comment is not hidden.")
    before = _state(comment)
    comment.hidden_at = comment.hidden_by_id = comment.hidden_reason = None
    audit.record(user, "comment.restore", comment, cycle=proposal.cycle_id, before=before,
                 after=_state(comment))


@use_case
def dismiss(user, found: Report) -> None:
    """Close a report without hiding anything."""
    proposal = found.proposal
    policy.check(user, Action.MODERATE, proposal.cycle, proposal)
    if found.resolved_at is not None:
        raise DomainError("This report is already settled.")
    found.resolved_at, found.resolved_by_id, found.outcome = utcnow(), user.id, "dismissed"
    audit.record(user, "report.dismiss", found, cycle=proposal.cycle_id,
                 after={"comment_id": found.comment_id, "proposal_id": found.proposal_id})


def block_territory(user, cycle, proposal) -> tuple[int, int | None]:
    """Where a moderator's block applies: their commune for commune staff, the whole
    intercommunalité for intercommunal staff and admins."""
    intercommunality_id, _ = blocks.territory_of(cycle, proposal)
    if user.role == Role.COMMUNE_STAFF:
        return intercommunality_id, user.works_for_commune_id
    return intercommunality_id, None


@use_case
def block(user, comment: Comment, reason: str) -> CommentBlock:
    """Block the author of `comment` from commenting in the moderator's territory
    (block_territory); one commit. Raises NotAllowed or DomainError."""
    proposal = comment.proposal
    policy.check(user, Action.MODERATE, proposal.cycle, proposal)
    text = check_reason(reason)
    if comment.author_id == user.id:
        raise DomainError("You cannot block your own account.")
    intercommunality_id, commune_id = block_territory(user, proposal.cycle, proposal)
    existing = db.session.scalar(select(CommentBlock).where(
        CommentBlock.user_id == comment.author_id,
        CommentBlock.intercommunality_id == intercommunality_id,
        CommentBlock.commune_id.is_(None) if commune_id is None
        else CommentBlock.commune_id == commune_id))
    if existing is not None:
        raise DomainError("This account is already blocked here.")
    found = CommentBlock(user_id=comment.author_id, intercommunality_id=intercommunality_id,
                         commune_id=commune_id, reason=text, created_by_id=user.id)
    db.session.add(found)
    audit.record(user, "comment.block_author", found, cycle=proposal.cycle_id,
                 after={"user_id": comment.author_id, "commune_id": commune_id,
                        "intercommunality_id": intercommunality_id, "reason": text,
                        "comment_id": comment.id})
    return found


def blocks_lifted_by(user, cycle) -> list[CommentBlock]:
    """The blocks in the cycle's territory that `user` may lift (may_lift), newest first."""
    found = db.session.scalars(select(CommentBlock).where(
        CommentBlock.intercommunality_id == cycle.intercommunality_id)
        .order_by(CommentBlock.created_at.desc()).limit(100)).all()
    return [b for b in found if may_lift(user, cycle, b)]


def may_lift(user, cycle, found: CommentBlock) -> bool:
    """Who blocks there lifts: the commune's staff or the intercommunalité's for a commune's
    block, the intercommunalité's for a block of the whole territory."""
    if found.intercommunality_id != cycle.intercommunality_id:
        return False
    where = db.session.get(Commune, found.commune_id) if found.commune_id else None
    return policy.concerns(user, Action.MODERATE, cycle, where)


@use_case
def unblock(user, cycle, found: CommentBlock) -> None:
    """Let the account comment again where it was blocked; one commit."""
    if not may_lift(user, cycle, found):
        raise NotAllowed("You are not allowed to do this.")
    audit.record(user, "comment.unblock_author", found, cycle=cycle,
                 before={"user_id": found.user_id, "commune_id": found.commune_id,
                         "intercommunality_id": found.intercommunality_id,
                         "reason": found.reason})
    db.session.delete(found)


@use_case
def save_charter(user, cycle, body: str) -> None:
    """Publish the cycle's charter of participation (plain text); one commit."""
    policy.check(user, Action.EDIT_CHARTER, cycle)
    text = (body or "").strip()
    if len(text) < 20 or len(text) > 4 * MAX_COMMENT:
        raise DomainError("Write the charter (between 20 and %(count)s characters).",
                          field="body", count=4 * MAX_COMMENT)
    charter = db.session.get(Charter, cycle.id)
    before = {"body": charter.body} if charter else None
    if charter is None:
        charter = Charter(cycle_id=cycle.id, body=text, updated_by_id=user.id)
        db.session.add(charter)
    else:
        charter.body, charter.updated_by_id = text, user.id
    audit.record(user, "charter.update", charter, cycle=cycle, before=before,
                 after={"body": text})
