"""The desk of a polling station: staff check a voter's eligibility as for a paper voter,
record that they vote in person (their census entry or access code then opens no online
ballot and no paper one), and hand them a one-time unlock for one of the station's kiosks."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from budget.domain.eligibility import CODE_ALPHABET, normalize_code
from budget.extensions import begin_write_transaction, db
from budget.models import KioskUnlock, PollingStation
from budget.models.time import utcnow
from budget.services import audit, census, identity_hash, paper_voters
from budget.services.policy import Action
from budget.services.transaction import use_case



UNLOCK_LIFETIME = timedelta(minutes=30)
UNLOCK_LENGTH = 6  # 31 letters and digits: 887 million codes, tried at 10 a minute per kiosk


def unlock_hash(cycle_id: int, code: str) -> str:
    """What is kept of an unlock code: a keyed hash, as for access codes."""
    return identity_hash.keyed_hash("kiosk-unlock", cycle_id, normalize_code(code))


def new_unlock_code() -> str:
    """A short code from the operating system's random source, as "ABC-DEF"."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(UNLOCK_LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


@use_case
def issue_unlock(user, station: PollingStation, identifier: str = "",
                 birth_date: date | None = None, code: str = "") -> str:
    """Check the person (census identifier and date of birth, or access code, as the cycle
    asks) at `station`'s desk, record that they vote in person, and return a new unlock code
    (valid UNLOCK_LIFETIME, and never after the vote closes). One commit. Raises NotAllowed,
    WrongPhase (during the vote only) or DomainError naming the field at fault (then nothing
    is written)."""
    begin_write_transaction()
    cycle = station.cycle
    census.check_commune(user, cycle, station.commune, Action.RUN_POLLING_STATION)
    identities = paper_voters.identities_at_desk(cycle, station.commune, identifier,
                                                 birth_date, code)
    now = utcnow()
    for identity in identities:
        identity.paper_voted_at = now  # voted in person: no online ballot, no paper one
    audit.record(user, "kiosk.unlock", station, cycle=cycle,
                 after={"identified_by": "code" if code else "list"})
    return add_unlock(station, now)


def add_unlock(station: PollingStation, now) -> str:
    """A new unlock of `station` (in the caller's transaction), and its code."""
    cycle = station.cycle
    unlock_code = new_unlock_code()
    while db.session.scalar(select(KioskUnlock.id).where(
            KioskUnlock.code_hash == unlock_hash(cycle.id, unlock_code))) is not None:
        unlock_code = new_unlock_code()  # one chance in hundreds of millions
    db.session.add(KioskUnlock(station_id=station.id,
                               code_hash=unlock_hash(cycle.id, unlock_code), issued_at=now,
                               expires_at=min(now + UNLOCK_LIFETIME, cycle.vote_end)))
    return unlock_code


def qr_svg(code: str) -> str:
    """The unlock code as an inline SVG QR code (markup to embed as is): a kiosk's barcode
    reader types it into the code field, as the voter would."""
    import segno    # (the QR code's encoder: only where one is drawn)
    return segno.make(code, error="m").svg_inline(scale=6, dark="#000", light="#fff",
                                                  omitsize=False)
