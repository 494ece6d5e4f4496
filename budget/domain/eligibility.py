"""Who may vote in a cycle: the rules a cycle sets, and a declared profile checked against them.

Rules combine: a minimum age on a reference date (the voter declares their date of birth), a
sworn statement of residence, and at most one proof of eligibility: a census list (identifier
plus date of birth), a one-time access code mailed to each household, or an identity verified
by FranceConnect (or another OpenID Connect provider). No rule: anyone living in the territory
may vote, as before. Plain data in, plain data out; messages are English
msgids translated by the web layer.
"""
from __future__ import annotations

import calendar
import enum
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from budget.domain.errors import DomainError

MAX_MINIMUM_AGE = 120
# Letters and digits that cannot be mistaken for each other on paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31^12 ≈ 2^59: guessing one of a few thousand codes is hopeless
MAX_IDENTIFIER = 64


class Proof(str, enum.Enum):
    NONE = "none"
    CENSUS = "census"  # identifier + date of birth on a list uploaded by staff
    ACCESS_CODE = "access_code"  # a one-time code from a letter
    # An identity verified by an OpenID Connect provider (FranceConnect) linked to the account;
    # residence still comes from the sworn statement.
    IDENTITY_PROVIDER = "identity_provider"


@dataclass(frozen=True)
class EligibilityRules:
    """A cycle's rules. `minimum_age` applies on `reference_date` (both or neither)."""

    minimum_age: int | None = None
    reference_date: date | None = None
    sworn_residence: bool = False
    proof: Proof = Proof.NONE

    @property
    def asks_anything(self) -> bool:
        return bool(self.minimum_age or self.sworn_residence or self.proof != Proof.NONE)

    @property
    def needs_birth_date(self) -> bool:
        return bool(self.minimum_age) or self.proof == Proof.CENSUS

    def problems(self) -> list[DomainError]:
        """What makes these rules unusable, each naming its form field."""
        found = []
        if self.minimum_age is not None and not 1 <= self.minimum_age <= MAX_MINIMUM_AGE:
            found.append(DomainError("The minimum age is a whole number of years between 1 "
                                     "and 120.", field="minimum_age"))
        if self.minimum_age and self.reference_date is None:
            found.append(DomainError("Give the date on which the minimum age applies.",
                                     field="reference_date"))
        return found

    def as_params(self) -> dict:
        return {"minimum_age": self.minimum_age,
                "reference_date": self.reference_date.isoformat() if self.reference_date
                else None,
                "sworn_residence": self.sworn_residence, "proof": self.proof.value}

    @classmethod
    def from_params(cls, params: dict | None) -> EligibilityRules:
        params = params or {}
        reference = params.get("reference_date")
        return cls(minimum_age=params.get("minimum_age"),
                   reference_date=date.fromisoformat(reference) if reference else None,
                   sworn_residence=bool(params.get("sworn_residence")),
                   proof=Proof(params.get("proof") or Proof.NONE.value))


@dataclass(frozen=True)
class Declaration:
    """What a voter declared before their ballot."""

    birth_date: date | None
    sworn_residence: bool


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day` (someone born on 29 February turns a year older on 1 March
    in common years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                  birth_date.day))


def refusals(rules: EligibilityRules, declaration: Declaration, today: date
             ) -> list[DomainError]:
    """Every rule the declaration does not meet (empty: eligible, proof apart)."""
    found = []
    birth = declaration.birth_date
    if rules.needs_birth_date and birth is None:
        found.append(DomainError("Enter your date of birth.", field="birth_date"))
    elif birth is not None and birth > today:
        found.append(DomainError("A date of birth cannot be in the future.",
                                 field="birth_date"))
    elif rules.minimum_age and birth is not None and (
            age_on(birth, rules.reference_date) < rules.minimum_age):
        found.append(DomainError("You must be at least %(age)s years old on %(date)s to vote "
                                 "in this cycle.", field="birth_date", age=rules.minimum_age,
                                 date=rules.reference_date))
    if rules.sworn_residence and not declaration.sworn_residence:
        found.append(DomainError("Tick the box to certify that you live in your commune.",
                                 field="sworn_residence"))
    return found


def appeal_deadline(vote_end: datetime, months: int = 2) -> datetime:
    """`months` calendar months after `vote_end` (the French administrative appeal delay is
    two months), the day clamped to the end of a shorter month (31 Dec + 2 months = 28/29 Feb)."""
    month_index = vote_end.month - 1 + months
    year, month = vote_end.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return vote_end.replace(year=year, month=month, day=min(vote_end.day, last_day))


def normalize_identifier(text: str) -> str:
    """A census identifier as compared: upper case, without spaces, dots or dashes, so that
    "12 345.678-a" and "12345678A" are the same person."""
    return re.sub(r"[\s.\-/]", "", text or "").upper()


def new_access_code() -> str:
    """A fresh code from the operating system's random source (secrets), grouped by four."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str) -> str:
    """A typed code as compared: upper case, separators dropped (dashes, spaces)."""
    return re.sub(r"[\s\-]", "", text or "").upper()
