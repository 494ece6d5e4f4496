"""The evaluation of a delivered winner: residents of its commune (of the intercommunalité for
an intercommunal project) answer once per account, during one year after the delivery,
whether they use it and how useful it is (Action.EVALUATE_PROJECT); its staff publish a short
evaluation text (Action.PUBLISH_EVALUATION).

An answer is stored on the account (one per account and project: a database constraint, so
two concurrent submits store one), never on a ballot or a participation: nothing here reads
or writes how anyone voted. The indicators are in services/evaluation_read.py, the moderation
of the answers' comments in services/evaluation_moderation.py.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.delivery import Stage
from budget.domain.errors import DomainError, NotAllowed
from budget.domain.evaluation import check_answer, check_open, check_text
from budget.domain.phases import N_
from budget.extensions import begin_write_transaction, db
from budget.models import EvaluationAnswer, ProjectEvaluation, ProjectTracking
from budget.models.time import utcnow
from budget.services import audit, policy
from budget.services.policy import Action
from budget.services.tracking import today
from budget.services.transaction import unit_of_work, use_case

ALREADY = N_("You have already evaluated this project: one answer per account.")


def _delivered_on(record: ProjectTracking):
    return record.delivered_on if record.stage == Stage.DELIVERED else None


def check_may_answer(user, record: ProjectTracking) -> None:
    """Raise NotAllowed, WrongPhase, EmailNotVerified or DomainError unless `user` may answer
    about `record` today (whether they already did aside)."""
    cycle, proposal = record.cycle, record.proposal
    if (getattr(user, "is_authenticated", False) and policy.lives_in(user, cycle)
            and not policy.concerns(user, Action.EVALUATE_PROJECT, cycle, proposal)):
        raise NotAllowed("Only the residents of its commune may evaluate this project.")
    policy.check(user, Action.EVALUATE_PROJECT, cycle, proposal)
    check_open(_delivered_on(record), today())


def may_answer(user, record: ProjectTracking) -> bool:
    """Whether the answer form is for `user`: they may answer and have not yet."""
    try:
        check_may_answer(user, record)
    except DomainError:
        return False
    return answer_of(user, record) is None


def answer_of(user, record: ProjectTracking) -> EvaluationAnswer | None:
    """`user`'s answer about `record` (None for the anonymous, or none yet)."""
    if not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    return db.session.scalar(select(EvaluationAnswer).where(
        EvaluationAnswer.tracking_id == record.id, EvaluationAnswer.user_id == user.id))


def answer(user, record: ProjectTracking, usage: str, usefulness: int | None,
           comment: str | None = None) -> EvaluationAnswer:
    """Store `user`'s answer about the delivered project `record`; one commit. Raises
    NotAllowed, WrongPhase, EmailNotVerified or DomainError (closed, already answered, a bad
    field); nothing is saved then."""
    checked = check_answer(usage, usefulness, comment)
    try:
        with unit_of_work():
            begin_write_transaction()  # SQLite: concurrent submits wait their turn
            check_may_answer(user, record)
            if answer_of(user, record) is not None:
                raise DomainError(ALREADY)
            found = EvaluationAnswer(tracking_id=record.id, user_id=user.id, usage=checked[0],
                                     usefulness=checked[1], comment=checked[2])
            db.session.add(found)
    except IntegrityError:
        # A concurrent submit of the same account stored its answer first: that one counts.
        raise DomainError(ALREADY) from None
    return found


def text_of(record: ProjectTracking) -> ProjectEvaluation | None:
    return db.session.get(ProjectEvaluation, record.id)


@use_case
def publish_text(user, record: ProjectTracking, body: str | None) -> ProjectEvaluation:
    """Publish (or replace) the evaluation text of the delivered project `record`; one commit,
    in the audit log. Raises NotAllowed, WrongPhase or DomainError (not delivered, bad text)."""
    policy.check(user, Action.PUBLISH_EVALUATION, record.cycle, record.proposal)
    if _delivered_on(record) is None:
        raise DomainError("Publish the evaluation once the project is delivered.")
    text = check_text(body)
    found = text_of(record)
    before = {"body": found.body} if found else None
    if found is None:
        found = ProjectEvaluation(tracking_id=record.id, body=text, published_by_id=user.id)
        db.session.add(found)
    else:
        found.body, found.published_by_id, found.published_at = text, user.id, utcnow()
    # "tracking.*": the open-data file of the cycle is built again (tracking_read.revision).
    audit.record(user, "tracking.evaluation", record, before=before, after={"body": text})
    return found
