"""Whether an account is blocked from commenting where a proposal belongs (read by the policy;
blocks are written by services/moderation.py)."""
from __future__ import annotations

from sqlalchemy import or_, select

from budget.extensions import db
from budget.models.discussion import CommentBlock


def territory_of(cycle, proposal=None) -> tuple[int, int | None]:
    """(intercommunalité id, commune id or None) where a proposal of `cycle` is discussed:
    its envelope's commune, the commune of a commune's own cycle, or none (intercommunal)."""
    commune_id = cycle.commune_id
    if proposal is not None and getattr(proposal, "envelope", None) is not None:
        commune_id = proposal.envelope.commune_id or commune_id
    return cycle.intercommunality_id, commune_id


def is_blocked(user, cycle, proposal=None) -> bool:
    """Blocked in the whole intercommunalité, or in the proposal's commune."""
    if getattr(user, "id", None) is None:
        return False
    intercommunality_id, commune_id = territory_of(cycle, proposal)
    where = [CommentBlock.commune_id.is_(None)]
    if commune_id is not None:
        where.append(CommentBlock.commune_id == commune_id)
    return db.session.scalar(select(CommentBlock.id).where(
        CommentBlock.user_id == user.id,
        CommentBlock.intercommunality_id == intercommunality_id, or_(*where)).limit(1)) \
        is not None
