from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC: the one representation of instants stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
