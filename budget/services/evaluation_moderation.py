"""Moderating the comments of residents' evaluation answers as comments are moderated
(services/moderation.py): anyone signed in reports one with a reason (a Report of the project,
in the cycle's moderation queue, where a report is dismissed as any other); the staff of the
project's commune, or of the intercommunalité (Action.MODERATE), hide it with a reason shown
in its place, or restore it; each decision in the audit log. Hiding a comment keeps the
answer's usage and usefulness in the indicators."""
from __future__ import annotations

from sqlalchemy import select

from budget.domain.discussion import check_reason
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import EvaluationAnswer, Report
from budget.models.time import utcnow
from budget.services import audit, policy
from budget.services.policy import Action
from budget.services.transaction import use_case


def _project(answer: EvaluationAnswer):
    return answer.tracking.cycle, answer.tracking.proposal


@use_case
def report(user, answer: EvaluationAnswer, reason: str) -> Report:
    """Report the comment of `answer` to the moderators; one commit. Raises NotAllowed or
    DomainError (no comment, no reason, or already reported and not yet decided)."""
    cycle, proposal = _project(answer)
    policy.check(user, Action.REPORT, cycle, proposal)
    if answer.comment is None:
        raise DomainError("This answer has no comment to report.")
    text = check_reason(reason)
    pending = db.session.scalar(select(Report.id).where(
        Report.reporter_id == user.id, Report.evaluation_answer_id == answer.id,
        Report.resolved_at.is_(None)).limit(1))
    if pending is not None:
        raise DomainError("You already reported this; the moderators will look at it.",
                          field="reason")
    found = Report(reporter_id=user.id, proposal_id=proposal.id,
                   evaluation_answer_id=answer.id, reason=text)
    db.session.add(found)
    return found


def _state(answer: EvaluationAnswer) -> dict:
    return {"hidden": answer.is_hidden, "reason": answer.hidden_reason,
            "tracking_id": answer.tracking_id}


@use_case
def hide(user, answer: EvaluationAnswer, reason: str) -> None:
    """Hide the comment of `answer`; `reason` is shown in its place. Its open reports are
    settled (outcome "hidden")."""
    cycle, proposal = _project(answer)
    policy.check(user, Action.MODERATE, cycle, proposal)
    text = check_reason(reason)
    if answer.comment is None:
        raise DomainError("This answer has no comment to hide.")
    if answer.is_hidden:
        raise DomainError("This comment is already hidden.")
    before = _state(answer)
    answer.hidden_at, answer.hidden_by_id, answer.hidden_reason = utcnow(), user.id, text
    for open_report in db.session.scalars(select(Report).where(
            Report.evaluation_answer_id == answer.id, Report.resolved_at.is_(None))):
        open_report.resolved_at, open_report.resolved_by_id = utcnow(), user.id
        open_report.outcome = "hidden"
    audit.record(user, "evaluation.hide", answer, cycle=cycle, before=before,
                 after=_state(answer))


@use_case
def restore(user, answer: EvaluationAnswer) -> None:
    """Show a hidden comment of an answer again."""
    cycle, proposal = _project(answer)
    policy.check(user, Action.MODERATE, cycle, proposal)
    if not answer.is_hidden:
        raise DomainError("This comment is not hidden.")
    before = _state(answer)
    answer.hidden_at = answer.hidden_by_id = answer.hidden_reason = None
    audit.record(user, "evaluation.restore", answer, cycle=cycle, before=before,
                 after=_state(answer))
