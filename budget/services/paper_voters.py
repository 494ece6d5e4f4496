"""Staff record that an identified person voted on paper, so they cannot also vote online.

The census identity or access code is marked as used on paper: it no longer unlocks an online
ballot, and an account that used it earlier without voting yet is blocked. One that has
already voted online is refused here: that paper ballot must not be counted.
"""
from __future__ import annotations

from datetime import date

from budget.domain.eligibility import Proof
from budget.domain.errors import DomainError
from budget.extensions import begin_write_transaction
from budget.models import BudgetCycle, Commune
from budget.models.time import utcnow
from budget.services import audit, eligibility
from budget.services.census import check_commune
from budget.services.policy import Action
from budget.services.transaction import use_case


@use_case
def record_paper_voter(user, cycle: BudgetCycle, commune: Commune, identifier: str = "",
                       birth_date: date | None = None, code: str = "") -> None:
    """Mark the person (census identifier and date of birth, or access code, as the cycle
    asks) as having voted on paper in `commune`; one commit. Raises NotAllowed, WrongPhase
    (during the vote only) or DomainError naming the field at fault (nothing is written)."""
    begin_write_transaction()
    check_commune(user, cycle, commune, Action.RECORD_PAPER_VOTER)
    identities = identities_at_desk(cycle, commune, identifier, birth_date, code)
    now = utcnow()
    for identity in identities:
        identity.paper_voted_at = now
    audit.record(user, "eligibility.paper_voter", commune, cycle=cycle,
                 after={"identified_by": "code" if code else "list"})


def identities_at_desk(cycle: BudgetCycle, commune: Commune, identifier: str = "",
                       birth_date: date | None = None, code: str = "") -> list:
    """The rows to mark as having voted in person in `commune` (a paper voter, or a voter
    sent to a kiosk: services/kiosk_desk.py): every list's census entry of the person, or the
    access code; locked until the commit. Raises DomainError naming the field at fault when
    the person is unknown, of another commune, or has voted already (in person or online)."""
    proof = cycle.eligibility_rules.proof
    if proof == Proof.CENSUS:
        # The person on this commune's list; their entries on other lists (one person may be
        # on several) are marked too: one ballot per cycle, whichever list.
        identities = eligibility.census_entries(cycle, identifier)
        listed = [e for e in eligibility.with_birth_date(cycle, identities, identifier,
                                                         birth_date)
                  if e.commune_id == commune.id]
        field, missing = "identifier", ("Nobody on the list has this identifier and this "
                                        "date of birth.")
    elif proof == Proof.ACCESS_CODE:
        code_row = eligibility.find_access_code(cycle, code)
        identities = listed = [code_row] if code_row is not None else []
        field, missing = "code", "This access code is not valid."
    else:
        raise DomainError("This cycle identifies no voter (no census list, no access code): "
                          "there is nothing to record.")
    if not listed:
        raise DomainError(missing, field=field)
    if proof == Proof.ACCESS_CODE and listed[0].commune_id != commune.id:
        raise DomainError("This person belongs to another commune's list: they vote there.",
                          field=field)
    if any(identity.paper_voted_at is not None for identity in identities):
        raise DomainError("A vote in person (on paper or at a kiosk) was already recorded for "
                          "this person.", field=field)
    if eligibility.voted_online(identities):
        raise DomainError("This person has already voted online: their paper ballot must not "
                          "be counted.", field=field)
    return identities
