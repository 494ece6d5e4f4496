"""A polling station's report, printed at closing: its kiosks, the unlocks its desk issued,
those used and those left unused, and the kiosk ballots by hour. Counted from the unlocks
(when each was issued and used), never from the ballot box: nothing here tells what anyone
voted, nor links a ballot to its unlock."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from budget.extensions import db
from budget.models import Kiosk, KioskUnlock, PollingStation
from budget.models.time import utcnow


@dataclass(frozen=True)
class KioskLine:
    kiosk: Kiosk
    ballots: int  # cast on it


@dataclass(frozen=True)
class HourLine:
    hour: datetime  # its start, UTC
    issued: int  # unlocks the desk issued in that hour
    ballots: int  # kiosk ballots cast in that hour


@dataclass(frozen=True)
class StationReport:
    kiosks: list[KioskLine]
    hours: list[HourLine]
    issued: int
    used: int
    waiting: int  # issued, unused, still valid: the voter may still come to a kiosk
    unused: int  # issued, never used, expired
    made_at: datetime


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def report(station: PollingStation) -> StationReport:
    """Reads only."""
    now = utcnow()
    unlocks = db.session.execute(select(
        KioskUnlock.issued_at, KioskUnlock.used_at, KioskUnlock.expires_at,
        KioskUnlock.kiosk_id).where(KioskUnlock.station_id == station.id)).all()
    used = [u for u in unlocks if u.used_at is not None]
    by_kiosk = Counter(u.kiosk_id for u in used)
    issued_by_hour = Counter(_hour(u.issued_at) for u in unlocks)
    used_by_hour = Counter(_hour(u.used_at) for u in used)
    hours = [HourLine(hour, issued_by_hour[hour], used_by_hour[hour])
             for hour in sorted(set(issued_by_hour) | set(used_by_hour))]
    waiting = sum(1 for u in unlocks if u.used_at is None and u.expires_at > now)
    return StationReport(
        kiosks=[KioskLine(k, by_kiosk[k.id]) for k in station.kiosks], hours=hours,
        issued=len(unlocks), used=len(used), waiting=waiting,
        unused=len(unlocks) - len(used) - waiting, made_at=now)
