"""Staff generate one-time access codes for a commune's letters; only their hashes are kept.

The codes are returned once, to be exported (CSV and printable letters) in the same response,
and never stored in clear: whoever reads the database cannot vote with them. A lost file
cannot be printed again: its unused codes are withdrawn and a new batch is generated.
"""
from __future__ import annotations

from sqlalchemy import delete, func, insert, select

from budget.domain.eligibility import Proof, new_access_code, normalize_code
from budget.domain.errors import DomainError
from budget.extensions import begin_write_transaction, db
from budget.models import AccessCode, BudgetCycle, Commune, EligibilityDeclaration
from budget.services import audit, identity_hash
from budget.services.census import check_commune
from budget.services.policy import Action
from budget.services.transaction import use_case

# A batch is one download made in the request: 1 000 letters take about 12 s of fpdf2 on a
# loaded two-core machine, so a commune with more households generates several batches.
MAX_BATCH = 2000


@use_case
def generate_codes(user, cycle: BudgetCycle, commune: Commune, quantity: int) -> list[str]:
    """Create `quantity` fresh codes for the commune's residents; one commit. Returns them in
    clear, the only time they exist so. Raises NotAllowed, WrongPhase or DomainError."""
    check_commune(user, cycle, commune, Action.MANAGE_ELIGIBILITY)
    if cycle.eligibility_rules.proof != Proof.ACCESS_CODE:
        raise DomainError("This cycle does not use access codes: choose them in the rules on "
                          "who may vote first.")
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_BATCH:
        raise DomainError("Generate between 1 and 2,000 codes at a time.", field="quantity")
    codes: set[str] = set()
    while len(codes) < quantity:
        codes.add(new_access_code())
    ordered = sorted(codes)
    begin_write_transaction()
    db.session.execute(insert(AccessCode), [
        {"cycle_id": cycle.id, "commune_id": commune.id,
         "code_hash": identity_hash.code_hash(cycle.id, normalize_code(code))}
        for code in ordered])
    audit.record(user, "eligibility.codes_generate", commune, cycle=cycle,
                 after={"codes_made": len(ordered)})
    return ordered


@use_case
def withdraw_unused_codes(user, cycle: BudgetCycle, commune: Commune) -> int:
    """Delete the commune's codes nobody has used (online or on paper), e.g. after letters were
    lost; one commit. Returns how many were withdrawn."""
    check_commune(user, cycle, commune, Action.MANAGE_ELIGIBILITY)
    begin_write_transaction()
    used = select(EligibilityDeclaration.access_code_id).where(
        EligibilityDeclaration.access_code_id.is_not(None))
    withdrawn = db.session.execute(delete(AccessCode).where(
        AccessCode.cycle_id == cycle.id, AccessCode.commune_id == commune.id,
        AccessCode.paper_voted_at.is_(None), AccessCode.id.not_in(used))).rowcount
    audit.record(user, "eligibility.codes_withdraw", commune, cycle=cycle,
                 after={"codes_withdrawn": withdrawn})
    return withdrawn


def code_counts(cycle: BudgetCycle) -> dict[int, int]:
    """Commune id -> how many codes it has (used or not)."""
    return dict(db.session.execute(
        select(AccessCode.commune_id, func.count()).where(AccessCode.cycle_id == cycle.id)
        .group_by(AccessCode.commune_id)).all())
