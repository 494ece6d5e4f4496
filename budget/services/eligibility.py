"""Who may vote: staff set a cycle's rules; a voter declares, and proves with a census identity
or an access code, before their ballot; the check the ballot box makes; the purge afterwards."""
from __future__ import annotations

import hmac
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from budget.domain.eligibility import (Declaration, EligibilityRules, Proof, appeal_deadline,
                                       normalize_code, normalize_identifier, refusals)
from budget.domain.errors import DomainError, InvalidSetup, NotEligible, WrongPhase
from budget.domain.phases import N_
from budget.extensions import begin_write_transaction, db
from budget.models import (AccessCode, BudgetCycle, CensusEntry, EligibilityDeclaration,
                           Participation)
from budget.models.time import utcnow
from budget.services import audit, identity_hash, policy, provider_accounts
from budget.services.policy import Action
from budget.services.transaction import unit_of_work, use_case

# Messages used in several places; N_ marks them for extraction (babel.cfg).
ALREADY_USED_IDENTITY = N_("This identity is already used by another account. If it is yours, "
                           "ask your town hall.")
ALREADY_USED_CODE = N_("This access code has already been used.")
NEEDS_VERIFIED_IDENTITY = N_("This cycle asks for an identity verified by FranceConnect: sign out, "
                             "then sign in with FranceConnect (your account is linked to it "
                             "the first time).")
# The desk marks the same way a paper voter and a voter it sends to a kiosk.
VOTED_IN_PERSON = N_("A vote in person (at a polling station, on paper or at a kiosk) was "
                     "recorded with this identity or code: it cannot also be used to vote "
                     "online. If you did not vote in person, tell your town hall.")


@use_case
def configure(user, cycle: BudgetCycle, rules: EligibilityRules) -> None:
    """Set who may vote, until the vote opens (CONFIGURE_CYCLE); one commit. Raises
    NotAllowed, WrongPhase or InvalidSetup (each problem names its field)."""
    policy.check(user, Action.CONFIGURE_CYCLE, cycle)
    problems = rules.problems()
    if problems:
        raise InvalidSetup(problems)
    before = {"rules": cycle.eligibility}
    cycle.eligibility = rules.as_params() if rules.asks_anything else None
    audit.record(user, "eligibility.configure", cycle, before=before,
                 after={"rules": cycle.eligibility})


def declaration_of(user, cycle: BudgetCycle) -> EligibilityDeclaration | None:
    return db.session.scalar(select(EligibilityDeclaration).where(
        EligibilityDeclaration.cycle_id == cycle.id, EligibilityDeclaration.user_id == user.id))


def needs_declaration(user, cycle: BudgetCycle) -> bool:
    """Whether `user` must answer the cycle's questions before their ballot."""
    return cycle.eligibility_rules.asks_anything and declaration_of(user, cycle) is None


def declare(user, cycle: BudgetCycle, declaration: Declaration, identifier: str = "",
            code: str = "") -> EligibilityDeclaration:
    """Record what `user` declared and link the census identity, access code or verified
    identity they gave; one commit. A date of birth certified by the identity provider
    replaces the one declared (the resident cannot change it). Raises NotAllowed or
    WrongPhase (who may vote now), or NotEligible listing every reason, each naming its form
    field (nothing is written)."""
    try:
        with unit_of_work():
            begin_write_transaction()
            policy.check(user, Action.VOTE, cycle)
            existing = declaration_of(user, cycle)
            if existing is not None:
                return existing
            rules = cycle.eligibility_rules
            certified = provider_accounts.identity_of(user)
            if certified is not None and certified.birth_date is not None:
                declaration = replace(declaration, birth_date=certified.birth_date)
            problems = refusals(rules, declaration, utcnow().date())
            row = EligibilityDeclaration(
                cycle_id=cycle.id, user_id=user.id, commune_id=user.home_commune_id,
                # The date of birth is personal data: kept only where an age rule needs it.
                birth_date=declaration.birth_date if rules.minimum_age else None,
                sworn_at=utcnow() if rules.sworn_residence else None)
            # The proof is checked even when another answer is refused: every reason at once.
            if rules.proof == Proof.CENSUS:
                row.census_entry_id = _census_entry(cycle, user, identifier, declaration,
                                                    problems)
            elif rules.proof == Proof.ACCESS_CODE:
                row.access_code_id = _access_code(cycle, user, code, problems)
            elif rules.proof == Proof.IDENTITY_PROVIDER:
                row.identity_hash = _verified_identity(cycle, certified, problems)
            if problems:
                raise NotEligible(problems)
            census_claim = row.census_entry_id is not None or row.identity_hash is not None
            db.session.add(row)
    except IntegrityError:
        mine = declaration_of(user, cycle)
        if mine is not None:  # the same voter sent the form twice at once
            return mine
        # Another account took the same identity or code a moment ago.
        message, field = ((ALREADY_USED_IDENTITY, "identifier" if rules.proof == Proof.CENSUS
                           else None) if census_claim else (ALREADY_USED_CODE, "code"))
        raise NotEligible([DomainError(message, field=field)]) from None
    return row


def census_entries(cycle: BudgetCycle, identifier: str) -> list[CensusEntry]:
    """Every list's entry of this identifier in `cycle` (one per commune that lists it),
    locked until the commit: a paper vote and an online claim of one person, through any of
    their lists, wait for each other (locked in id order, so never in a deadlock)."""
    key = identity_hash.identifier_hash(cycle.id, normalize_identifier(identifier))
    return list(db.session.scalars(select(CensusEntry).where(
        CensusEntry.cycle_id == cycle.id, CensusEntry.identifier_hash == key)
        .order_by(CensusEntry.id).with_for_update()))


def with_birth_date(cycle: BudgetCycle, entries: list[CensusEntry], identifier: str,
                    birth_date) -> list[CensusEntry]:
    """The entries among `entries` whose date of birth is `birth_date` (None: none)."""
    if birth_date is None:
        return []
    expected = identity_hash.birth_hash(cycle.id, normalize_identifier(identifier), birth_date)
    return [e for e in entries if hmac.compare_digest(e.birth_hash, expected)]


def find_access_code(cycle: BudgetCycle, code: str) -> AccessCode | None:
    """The code of this cycle (locked until the commit), whatever its commune."""
    return db.session.scalar(select(AccessCode).where(
        AccessCode.cycle_id == cycle.id,
        AccessCode.code_hash == identity_hash.code_hash(cycle.id, normalize_code(code)))
        .with_for_update())


def _census_entry(cycle, user, identifier, declaration, problems) -> int | None:
    if not normalize_identifier(identifier):
        problems.append(DomainError("Enter your identifier as it is written on the list "
                                    "(voter card or tax notice).", field="identifier"))
        return None
    if declaration.birth_date is None:  # refused already: the identity cannot be checked
        return None
    entries = census_entries(cycle, identifier)
    matching = with_birth_date(cycle, entries, identifier, declaration.birth_date)
    entry = next((e for e in matching if e.commune_id == user.home_commune_id), None)
    if not matching:
        problems.append(DomainError("Nobody on the list has this identifier and this date of "
                                    "birth. Check both; if they are right, ask your town hall "
                                    "to check the list.", field="identifier"))
    elif entry is None:
        problems.append(DomainError("This person is listed in another commune. Check the "
                                    "commune of your account, or ask your town hall.",
                                    field="identifier"))
    # One person, one ballot per cycle, whichever list they are on.
    elif any(e.paper_voted_at is not None for e in entries):
        problems.append(DomainError(VOTED_IN_PERSON, field="identifier"))
    elif _claimed(EligibilityDeclaration.census_entry_id, [e.id for e in entries]):
        problems.append(DomainError(ALREADY_USED_IDENTITY, field="identifier"))
    else:
        return entry.id
    return None


def _access_code(cycle, user, code, problems) -> int | None:
    if not normalize_code(code):
        problems.append(DomainError("Enter the access code printed on your letter.",
                                    field="code"))
        return None
    found = find_access_code(cycle, code)
    if found is None:
        problems.append(DomainError("This access code is not valid. Check it on your letter: "
                                    "codes never use the letters I, L, O nor the digits 0 "
                                    "and 1.", field="code"))
    elif found.commune_id != user.home_commune_id:
        problems.append(DomainError("This code was sent to another commune: only a code of "
                                    "your commune opens your ballot.", field="code"))
    elif found.paper_voted_at is not None:
        problems.append(DomainError(VOTED_IN_PERSON, field="code"))
    elif _claimed(EligibilityDeclaration.access_code_id, [found.id]):
        problems.append(DomainError(ALREADY_USED_CODE, field="code"))
    else:
        return found.id
    return None


def _verified_identity(cycle, certified, problems) -> str | None:
    """The cycle's hash of the account's verified identity, unless another declaration of
    the cycle holds it (the UNIQUE constraint decides between two at the same moment)."""
    if certified is None:
        problems.append(DomainError(NEEDS_VERIFIED_IDENTITY))
        return None
    key = identity_hash.verified_identity_hash(cycle.id, certified.subject_hash)
    holder = db.session.scalar(select(EligibilityDeclaration).where(
        EligibilityDeclaration.cycle_id == cycle.id, EligibilityDeclaration.identity_hash == key))
    if holder is not None:
        problems.append(DomainError(VOTED_IN_PERSON if holder.in_person_at
                                    else ALREADY_USED_IDENTITY))
        return None
    return key


def _claimed(column, row_ids: list[int]) -> bool:
    return db.session.scalar(select(EligibilityDeclaration.id).where(column.in_(row_ids))
                             .limit(1)) is not None


def check_may_vote(user, cycle: BudgetCycle, lock: bool = False) -> None:
    """Raise NotEligible unless `user` has met the cycle's rules and their identity or code
    was not used on paper since. `lock`: hold the identity's row until the commit (casting)."""
    if not cycle.eligibility_rules.asks_anything:
        return
    declared = declaration_of(user, cycle)
    if declared is None:
        raise NotEligible([DomainError("Before your ballot, answer the questions on who may "
                                       "vote in this cycle.")])
    if declared.commune_id != user.home_commune_id:
        raise NotEligible([DomainError("Your commune changed after your declaration: ask "
                                       "your town hall.")])
    if declared.census_entry_id is not None:
        column, row_id = CensusEntry.paper_voted_at, declared.census_entry_id
    elif declared.access_code_id is not None:
        column, row_id = AccessCode.paper_voted_at, declared.access_code_id
    elif declared.identity_hash is not None:  # the desk marks the declaration itself
        column, row_id = EligibilityDeclaration.in_person_at, declared.id
    else:
        return
    query = select(column).where(column.class_.id == row_id)
    if db.session.scalar(query.with_for_update() if lock else query) is not None:
        raise NotEligible([DomainError(VOTED_IN_PERSON)])


def voted_online(identities: list) -> bool:
    """Whether an account that used one of these census entries (one person's, on any list)
    or this access code (a list of one) has cast its online ballot."""
    column = (EligibilityDeclaration.census_entry_id if isinstance(identities[0], CensusEntry)
              else EligibilityDeclaration.access_code_id)
    return db.session.scalar(
        select(Participation.id).join(EligibilityDeclaration, (
            EligibilityDeclaration.user_id == Participation.user_id)
            & (EligibilityDeclaration.cycle_id == Participation.cycle_id))
        .where(column.in_([identity.id for identity in identities])).limit(1)) is not None


def purge_deadline(cycle: BudgetCycle, appeal_days: int | None = None) -> datetime:
    """When the cycle's eligibility data may go: `appeal_days` after the vote's end, or by
    default two calendar months after it (the French administrative appeal delay)."""
    return (cycle.vote_end + timedelta(days=appeal_days) if appeal_days is not None
            else appeal_deadline(cycle.vote_end))


def due_for_purge(appeal_days: int | None = None, now: datetime | None = None
                  ) -> list[BudgetCycle]:
    """The cycles whose appeal period is over and which still hold eligibility data
    (declarations, census entries or access codes), oldest vote first. Reads only."""
    now = now or utcnow()
    holding = set()
    for model in (EligibilityDeclaration, CensusEntry, AccessCode):
        holding.update(db.session.scalars(select(model.cycle_id).distinct()))
    cycles = db.session.scalars(select(BudgetCycle).where(BudgetCycle.id.in_(holding),
                                                          BudgetCycle.vote_end <= now)
                                .order_by(BudgetCycle.vote_end, BudgetCycle.id))
    return [cycle for cycle in cycles if purge_deadline(cycle, appeal_days) <= now]


@use_case
def purge(cycle: BudgetCycle, appeal_days: int | None = None,
          now: datetime | None = None, actor=None) -> dict[str, int]:
    """Delete the cycle's eligibility data (declarations, census list, access codes) once the
    appeal period after its vote is over: `appeal_days` after the vote's end, or by default two
    calendar months. One commit; returns how many rows of each kind went. Raises WrongPhase
    earlier, saying from which day it can be done."""
    now = now or utcnow()
    if now < cycle.vote_end:
        raise WrongPhase("The vote of this cycle is not closed yet.")
    deadline = purge_deadline(cycle, appeal_days)
    if now < deadline:
        raise WrongPhase("The appeal period runs until %(date)s: the eligibility data of this "
                         "cycle can be deleted from then on.", date=deadline)
    counts = {}
    for name, model in (("declarations", EligibilityDeclaration),
                        ("census entries", CensusEntry), ("access codes", AccessCode)):
        counts[name] = db.session.execute(
            delete(model).where(model.cycle_id == cycle.id)).rowcount
    # Counts under neutral names: the log refuses keys that name secret kinds of data.
    audit.record(actor or policy.SYSTEM_OPERATOR, "eligibility.purge", cycle,
                 after={"declarations": counts["declarations"],
                        "list_entries": counts["census entries"],
                        "codes": counts["access codes"]})
    return counts
