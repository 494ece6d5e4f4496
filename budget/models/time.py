"""Instants: stored as naive UTC; typed and shown as wall-clock time in Paris."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    """Naive UTC: the one representation of instants stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(local: datetime) -> datetime:
    """A wall-clock time in Paris -> naive UTC (an ambiguous autumn hour is its first one)."""
    return local.replace(tzinfo=LOCAL_TIME).astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """Naive UTC -> the wall-clock time in Paris, naive."""
    return utc.replace(tzinfo=UTC).astimezone(LOCAL_TIME).replace(tzinfo=None)
