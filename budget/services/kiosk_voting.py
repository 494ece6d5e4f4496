"""Voting on a kiosk: the voter types the unlock the desk gave them, fills in their commune's
ballot with the online ballot's page and rules (services/voting.py), reviews it and casts it.

The kiosk holds the unlock while the voter is at it (`held_until`), pushed back IDLE at each
of its requests; left idle, the hold lapses: the kiosk is locked again, what was being filled
in (only ever in the page, never stored) is lost, and the unlock may be typed again. Casting
marks the unlock used in the transaction that writes the ballot, by a conditional UPDATE:
of two casts with one unlock at the same moment, one changes the row and the other none.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update

from budget.domain.ballot_rules import PointsSent
from budget.domain.errors import DomainError, WrongPhase
from budget.domain.phases import Phase
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle, InboxBallot, Kiosk, KioskUnlock
from budget.models.ballot import random_id
from budget.models.time import utcnow
from budget.services import ballot_box, kiosks, voting
from budget.services.kiosk_desk import unlock_hash
from budget.services.transaction import unit_of_work, use_case

IDLE = timedelta(minutes=2)
CHANNEL = "kiosk"


class KioskLocked(DomainError):
    """The kiosk holds no unlock (never unlocked, idle too long, revoked, or used)."""


def check_open(cycle: BudgetCycle) -> None:
    """Raise WrongPhase unless the cycle's vote is open."""
    if cycle.phase() != Phase.VOTE:
        raise WrongPhase("The vote is not open: this kiosk cannot be used now.")


def held_unlock(kiosk: Kiosk) -> KioskUnlock | None:
    """The unlock `kiosk` holds now, unused, or None (the kiosk is locked). Reads only."""
    return db.session.scalar(select(KioskUnlock).where(
        KioskUnlock.kiosk_id == kiosk.id, KioskUnlock.used_at.is_(None),
        KioskUnlock.held_until > utcnow()))


@use_case
def unlock(kiosk: Kiosk, code: str) -> None:
    """Unlock `kiosk` with a code its station's desk issued; one commit. Raises WrongPhase or
    DomainError on the field `code` (unknown, expired, used, or held by another kiosk)."""
    begin_write_transaction()
    station = kiosk.station
    check_open(station.cycle)
    now = utcnow()
    row = db.session.scalar(select(KioskUnlock).where(
        KioskUnlock.station_id == station.id,
        KioskUnlock.code_hash == unlock_hash(station.cycle_id, code)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise DomainError("This code opens no ballot: check it, or ask the desk.",
                          field="code")
    kiosks.release(kiosk)
    taken = db.session.execute(update(KioskUnlock).where(
        KioskUnlock.id == row.id, KioskUnlock.used_at.is_(None),
        or_(KioskUnlock.held_until.is_(None), KioskUnlock.held_until <= now,
            KioskUnlock.kiosk_id == kiosk.id))
        .values(kiosk_id=kiosk.id, held_until=now + IDLE)).rowcount
    if taken != 1:
        raise DomainError("This code is in use on another kiosk: finish there, or wait two "
                          "minutes.", field="code")
    kiosk.last_seen_at = now


@use_case
def keep_awake(kiosk: Kiosk) -> KioskUnlock:
    """Push back the lapse of the kiosk's hold by IDLE (the voter is at it); one commit.
    Raises KioskLocked when it holds no unlock, WrongPhase once the vote is closed."""
    begin_write_transaction()  # the kiosk's timers call it beside other kiosks' writes
    check_open(kiosk.station.cycle)
    held = held_unlock(kiosk)
    if held is None:
        raise KioskLocked("This kiosk is locked: ask the desk for a code.")
    now = utcnow()
    held.held_until, kiosk.last_seen_at = now + IDLE, now
    return held


@use_case
def lock(kiosk: Kiosk) -> None:
    """Lock the kiosk: the unlock it held is free again, what was filled in is lost."""
    begin_write_transaction()
    kiosks.release(kiosk)


def check(kiosk: Kiosk, selected: list[int] | PointsSent) -> None:
    """Raise KioskLocked, WrongPhase or InvalidBallot unless `kiosk` may cast this ballot of
    its station's commune now (`selected` as for voting.check). Reads only."""
    check_open(kiosk.station.cycle)
    if held_unlock(kiosk) is None:
        raise KioskLocked("This kiosk is locked: ask the desk for a code.")
    voting.check_choices(kiosk.station.cycle, kiosk.station.commune_id, selected)


def cast(kiosk: Kiosk, selected: list[int] | PointsSent) -> str:
    """Record the ballot (to the inbox, channel "kiosk", like an online ballot) and use up the
    kiosk's unlock, in one transaction; return the receipt code. Raises as check(); when the
    unlock was used or let go meanwhile, KioskLocked and nothing is written."""
    station = kiosk.station
    cycle = station.cycle
    with unit_of_work():
        begin_write_transaction()
        check(kiosk, selected)
        now = utcnow()
        used = db.session.execute(update(KioskUnlock).where(
            KioskUnlock.kiosk_id == kiosk.id, KioskUnlock.used_at.is_(None),
            KioskUnlock.held_until > now).values(used_at=now, held_until=None)).rowcount
        if used != 1:
            raise KioskLocked("This kiosk is locked: ask the desk for a code.")
        code = new_receipt_code()
        db.session.execute(InboxBallot.__table__.insert().values(
            id=random_id(), cycle_id=cycle.id, commune_id=station.commune_id,
            receipt_hash=receipt_hash(code), queued_at=now, channel=CHANNEL,
            selections=[[row.proposal_id, row.points]
                        for row in voting.selection_rows(cycle, selected)]))
        kiosk.last_seen_at = now
    ballot_box.mix_when_due()
    return code
