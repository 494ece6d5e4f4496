"""A polling station's desk checks a voter by the identity provider (FranceConnect), signed in
on the staff device, then hands them a kiosk unlock.

The protocol is the web edge's (blueprints/auth/provider_client.py, as for a sign-in); what
arrives here is the keyed hash of the provider's subject and the certified date of birth. The
voter gets no account: their identity is recorded as a declaration without one, voting in
person (`in_person_at`), under the cycle's identity hash that an online declaration of the same
person would hold, so the UNIQUE constraint keeps one identity to one ballot per cycle whatever
the accounts. Residence still comes from the cycle's rule (the voter's sworn statement, given
at the desk).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.eligibility import Declaration, Proof, refusals
from budget.domain.errors import DomainError, NotEligible
from budget.domain.phases import N_
from budget.extensions import begin_write_transaction, db
from budget.models import EligibilityDeclaration, Participation, PollingStation
from budget.models.time import utcnow
from budget.services import audit, census, identity_hash, kiosk_desk
from budget.services.policy import Action
from budget.services.transaction import use_case

NOT_A_PROVIDER_CYCLE = N_("This cycle does not identify its voters by FranceConnect: check "
                          "the voter with their census identity or access code.")


@use_case
def issue_unlock(user, station: PollingStation, subject_hash: str, birth_date: date | None,
                 sworn_residence: bool) -> str:
    """Check the identity the provider verified on the staff device (`subject_hash`: its keyed
    hash, as provider sign-ins keep it; `birth_date` as certified) against the cycle's rules,
    record that it votes in person at `station`, and return a new unlock code. One commit.
    Raises NotAllowed, WrongPhase (during the vote only), NotEligible listing every rule not
    met, or DomainError when the identity voted already (online or in person); then nothing
    is written."""
    begin_write_transaction()
    cycle = station.cycle
    census.check_commune(user, cycle, station.commune, Action.RUN_POLLING_STATION)
    rules = cycle.eligibility_rules
    if rules.proof != Proof.IDENTITY_PROVIDER:
        raise DomainError(NOT_A_PROVIDER_CYCLE)
    if rules.needs_birth_date and birth_date is None:
        raise NotEligible([DomainError("The identity provider gave no full date of birth: the "
                                       "voter's age cannot be checked. They may vote on paper "
                                       "if the town hall checks it.")])
    problems = refusals(rules, Declaration(birth_date, sworn_residence), utcnow().date())
    if problems:
        raise NotEligible(problems)
    now = utcnow()
    _record_in_person(station, identity_hash.verified_identity_hash(cycle.id, subject_hash),
                      birth_date if rules.minimum_age else None,
                      now if rules.sworn_residence else None, now)
    audit.record(user, "kiosk.unlock", station, cycle=cycle,
                 after={"identified_by": "provider"})
    return kiosk_desk.add_unlock(station, now)


def _record_in_person(station, key: str, birth_date, sworn_at, now) -> None:
    """Mark the cycle's identity `key` as voting in person: the declaration an account made
    with it (locked until the commit: its online ballot waits for this, or this for it), or a
    new one without account. Raises DomainError when it voted already."""
    cycle_id = station.cycle_id
    held = db.session.scalar(select(EligibilityDeclaration).where(
        EligibilityDeclaration.cycle_id == cycle_id, EligibilityDeclaration.identity_hash == key)
        .with_for_update())
    if held is not None and held.in_person_at is not None:
        raise DomainError("A vote in person (at a polling station, on paper or at a kiosk) was "
                          "already recorded for this person.")
    if held is not None and held.user_id is not None and db.session.scalar(
            select(Participation.id).where(Participation.cycle_id == cycle_id,
                                           Participation.user_id == held.user_id)) is not None:
        raise DomainError("This person has already voted online: they cannot vote again at the "
                          "kiosk.")
    if held is not None:  # declared online, not voted: that account's ballot is closed now
        held.in_person_at = now
        return
    db.session.add(EligibilityDeclaration(
        cycle_id=cycle_id, user_id=None, commune_id=station.commune_id, birth_date=birth_date,
        sworn_at=sworn_at, identity_hash=key, in_person_at=now))
    try:
        db.session.flush()
    except IntegrityError:  # an online declaration of the same identity at the same moment
        raise DomainError("This identity was used online at this very moment: check the voter "
                          "again.") from None
