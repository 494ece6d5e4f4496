"""Polling stations and their kiosks: staff add a station to a commune of a cycle, turn a
device into one of its kiosks (a random token in the device's own cookie, only its hash
kept here) and revoke it; the next request of a revoked kiosk is refused."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import DomainError
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle, Commune, Kiosk, KioskUnlock, PollingStation
from budget.models.time import utcnow
from budget.services import audit, census, policy
from budget.services.policy import Action
from budget.services.transaction import unit_of_work, use_case

NAME_LENGTH = 120


def token_hash(token: str) -> str:
    """What is kept of a kiosk's token: its SHA-256 (the token is 256 random bits, so no
    key is needed to make the hash useless to whoever reads the database)."""
    return hashlib.sha256(token.encode()).hexdigest()


def stations(user, cycle: BudgetCycle) -> list[PollingStation]:
    """The cycle's stations in the communes whose stations `user` runs, by commune and name."""
    rows = db.session.scalars(select(PollingStation).where(PollingStation.cycle_id == cycle.id)
                              .order_by(PollingStation.commune_id, PollingStation.name))
    return [s for s in rows if policy.concerns(user, Action.RUN_POLLING_STATION, cycle, s)]


def station_of(cycle: BudgetCycle, station_id: int) -> PollingStation | None:
    station = db.session.get(PollingStation, station_id)
    return station if station is not None and station.cycle_id == cycle.id else None


def add_station(user, cycle: BudgetCycle, commune: Commune, name: str) -> PollingStation:
    """Add a polling station named `name` to `commune` in `cycle`; one commit. Raises
    NotAllowed, WrongPhase (during the vote only) or DomainError on the field `name`."""
    name = " ".join((name or "").split())
    try:
        with unit_of_work():
            begin_write_transaction()
            census.check_commune(user, cycle, commune, Action.RUN_POLLING_STATION)
            if not name or len(name) > NAME_LENGTH:
                raise DomainError("Give the station a name of at most 120 characters.",
                                  field="name")
            station = PollingStation(cycle_id=cycle.id, commune_id=commune.id, name=name)
            db.session.add(station)
            audit.record(user, "kiosk.add_station", station, cycle=cycle,
                         after={"label": name})
    except IntegrityError:
        raise DomainError("This commune already has a station of that name.",
                          field="name") from None
    return station


@use_case
def open_kiosk(user, station: PollingStation) -> str:
    """Make a new kiosk of `station`; return its token (for the device's cookie, shown nowhere
    else). One commit. Raises NotAllowed or WrongPhase (during the vote only)."""
    begin_write_transaction()
    policy.check(user, Action.RUN_POLLING_STATION, station.cycle, station)
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk(station_id=station.id, token_hash=token_hash(token), opened_by_id=user.id)
    db.session.add(kiosk)
    audit.record(user, "kiosk.open", station, cycle=station.cycle_id)
    return token


@use_case
def revoke_kiosk(user, station: PollingStation, kiosk_id: int | None) -> None:
    """Revoke one kiosk of `station` (what its voter was filling in is lost; the unlock it
    held may be used again at once). One commit. Raises NotAllowed, WrongPhase or
    DomainError when the station has no such kiosk still open."""
    begin_write_transaction()
    policy.check(user, Action.RUN_POLLING_STATION, station.cycle, station)
    kiosk = db.session.get(Kiosk, kiosk_id) if kiosk_id else None
    if kiosk is None or kiosk.station_id != station.id or kiosk.revoked_at is not None:
        raise DomainError("This station has no such kiosk open.")
    kiosk.revoked_at = utcnow()
    release(kiosk)
    audit.record(user, "kiosk.revoke", station, cycle=station.cycle_id,
                 after={"kiosk": kiosk.id})


def live_kiosk(token: str | None) -> Kiosk | None:
    """The kiosk of this token unless it was revoked (asked at each of its requests)."""
    if not token:
        return None
    kiosk = db.session.scalar(select(Kiosk).where(Kiosk.token_hash == token_hash(token)))
    return kiosk if kiosk is not None and kiosk.revoked_at is None else None


def release(kiosk: Kiosk) -> None:
    """Within a use case: let go of the unlock `kiosk` holds, if any, unused (it may be used
    again at once, on any kiosk of the station). What was being filled in was never sent."""
    db.session.execute(update(KioskUnlock).where(
        KioskUnlock.kiosk_id == kiosk.id, KioskUnlock.used_at.is_(None),
        KioskUnlock.held_until.is_not(None)).values(held_until=None))
