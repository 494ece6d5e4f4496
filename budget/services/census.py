"""Staff upload a commune's census list: the people who may vote, as keyed hashes only."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select

from budget.domain.census_file import read_census
from budget.domain.eligibility import Proof
from budget.domain.errors import DomainError, InvalidSetup
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle, CensusEntry, Commune
from budget.models.time import utcnow
from budget.services import audit, identity_hash, policy
from budget.services.policy import Action
from budget.services.transaction import use_case


@dataclass(frozen=True)
class CensusImport:
    added: int
    already_listed: int  # on the list from an earlier file
    repeats: int  # listed twice in this file


def voting_communes(cycle: BudgetCycle) -> list[Commune]:
    """The communes whose residents vote in `cycle`: those with an envelope of their own."""
    return [e.commune for e in cycle.envelopes if e.commune_id is not None]


def check_commune(user, cycle: BudgetCycle, commune: Commune, action: Action) -> None:
    """Raise unless `commune` votes in `cycle` and `user` may do `action` for it now."""
    policy.check(user, action, cycle, commune)
    if commune not in voting_communes(cycle):
        raise DomainError("This commune does not vote in this cycle.")


@use_case
def import_census(user, cycle: BudgetCycle, commune: Commune, data: bytes) -> CensusImport:
    """Add the people of a CSV file (domain.census_file) to the commune's list; one commit.
    Someone already on this list with the same date of birth is skipped. Other communes'
    lists are not looked at: the answer is the same whether or not they list someone (each
    list is its own; see CensusEntry). Raises NotAllowed, WrongPhase, DomainError, or
    InvalidSetup listing every bad line: then nothing is added."""
    check_commune(user, cycle, commune, Action.MANAGE_ELIGIBILITY)
    if cycle.eligibility_rules.proof != Proof.CENSUS:
        raise DomainError("This cycle does not use a census list: choose it in the rules on "
                          "who may vote first.")
    parsed = read_census(data, utcnow().date())
    if parsed.problems:
        raise InvalidSetup(parsed.problems)
    begin_write_transaction()
    listed = dict(db.session.execute(
        select(CensusEntry.identifier_hash, CensusEntry.birth_hash)
        .where(CensusEntry.cycle_id == cycle.id, CensusEntry.commune_id == commune.id)).all())
    new_rows, problems, already = [], [], 0
    for identifier, birth in parsed.people.items():
        key = identity_hash.identifier_hash(cycle.id, identifier)
        identity = identity_hash.birth_hash(cycle.id, identifier, birth)
        known = listed.get(key)
        if known is None:
            new_rows.append({"cycle_id": cycle.id, "commune_id": commune.id,
                             "identifier_hash": key, "birth_hash": identity})
        elif known != identity:
            problems.append(DomainError("Line %(line)s: this identifier is already on the "
                                        "commune's list with another date of birth.",
                                        line=parsed.line_of[identifier]))
        else:
            already += 1
    if problems:
        raise InvalidSetup(problems)
    if new_rows:
        db.session.execute(insert(CensusEntry), new_rows)
    # Counts only: the log never holds identities, not even hashed.
    audit.record(user, "eligibility.list_upload", commune, cycle=cycle,
                 after={"added": len(new_rows), "already_listed": already})
    return CensusImport(len(new_rows), already, parsed.repeats)


def census_sizes(cycle: BudgetCycle) -> dict[int, int]:
    """Commune id -> how many people its list has."""
    return dict(db.session.execute(
        select(CensusEntry.commune_id, func.count()).where(CensusEntry.cycle_id == cycle.id)
        .group_by(CensusEntry.commune_id)).all())
