"""Turnout during the vote, for staff: how many people voted in each commune, online, at a
kiosk and on paper; never what they voted.

Online: participations (who voted, one row per voter and cycle), by the voter's home commune;
kiosk: the unlocks used on the kiosks of the commune's polling stations (services/kiosk_voting.py);
paper: the ballots counted by hand in the commune's paper batches. Neither the ballots, the
inbox nor the selections are read, so these numbers tell nothing about any ballot's content
nor about when the box was mixed.

A small count is not shown (SMALL_COUNT): in a commune where 1 to 4 people voted online, staff
who watch the number rise while they know who just voted could name the commune's only voters,
and later read their ballots in the commune's published results. Such a cell reads "fewer than
5", and a total that includes one is a lower bound ("at least"), so no difference of shown
numbers gives it back.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from budget.extensions import db
from budget.models import (BudgetCycle, Commune, KioskUnlock, PaperBatch, Participation,
                           PollingStation, Role, User)
from budget.services import policy
from budget.services.policy import Action

SMALL_COUNT = 5


@dataclass(frozen=True)
class Count:
    """A number of ballots as shown: `value` is None for 1 to SMALL_COUNT - 1 (not shown);
    for a total, `exact` is False when it leaves such a count out (then it is a lower bound)."""

    value: int | None
    exact: bool = True

    @classmethod
    def of(cls, number: int) -> Count:
        return cls(number if number == 0 or number >= SMALL_COUNT else None)

    @classmethod
    def total(cls, counts: list[Count]) -> Count:
        return cls(sum(c.value or 0 for c in counts), all(c.value is not None for c in counts))


@dataclass(frozen=True)
class CommuneTurnout:
    commune: Commune
    online: Count
    paper: Count
    kiosk: Count = Count(0)


@dataclass(frozen=True)
class Turnout:
    communes: list[CommuneTurnout]
    online: Count
    paper: Count
    kiosk: Count = Count(0)


def communes_shown(user, cycle: BudgetCycle) -> list[Commune]:
    """The communes whose turnout `user` sees: commune staff in an intercommunal cycle, their
    own commune's; everyone else who manages the cycle, all of its communes."""
    if cycle.commune is not None:
        return [cycle.commune]
    communes = cycle.intercommunality.communes
    if user.role == Role.COMMUNE_STAFF and not policy.works_for_cycle(user, cycle):
        return [c for c in communes if c.id == user.works_for_commune_id]
    return list(communes)


def turnout(user, cycle: BudgetCycle) -> Turnout:
    """The turnout `user` may see. Raises NotAllowed or WrongPhase (see Action.SEE_TURNOUT)."""
    policy.check(user, Action.SEE_TURNOUT, cycle)
    communes = communes_shown(user, cycle)
    ids = [c.id for c in communes]
    online = dict(db.session.execute(
        select(User.home_commune_id, func.count())
        .select_from(Participation).join(User, User.id == Participation.user_id)
        .where(Participation.cycle_id == cycle.id, User.home_commune_id.in_(ids))
        .group_by(User.home_commune_id)).all())
    paper = dict(db.session.execute(
        select(PaperBatch.commune_id, func.sum(PaperBatch.declared_count))
        .where(PaperBatch.cycle_id == cycle.id, PaperBatch.commune_id.in_(ids))
        .group_by(PaperBatch.commune_id)).all())
    kiosk = dict(db.session.execute(
        select(PollingStation.commune_id, func.count()).select_from(KioskUnlock)
        .join(PollingStation, PollingStation.id == KioskUnlock.station_id)
        .where(PollingStation.cycle_id == cycle.id, PollingStation.commune_id.in_(ids),
               KioskUnlock.used_at.is_not(None))
        .group_by(PollingStation.commune_id)).all())
    rows = [CommuneTurnout(c, Count.of(online.get(c.id, 0)), Count.of(paper.get(c.id) or 0),
                           Count.of(kiosk.get(c.id, 0)))
            for c in communes]
    return Turnout(rows, Count.total([r.online for r in rows]),
                   Count.total([r.paper for r in rows]), Count.total([r.kiosk for r in rows]))
