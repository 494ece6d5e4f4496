"""Eligibility data of a cycle: the census list, the access codes and what voters declared.

Identifiers and codes are stored only as keyed hashes (services/identity_hash.py says why).
Everything here belongs to one cycle and is deleted with `flask budget purge-eligibility`
once the appeal period after its vote is over (docs/personal-data.md).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db
from budget.models.time import utcnow


class CensusEntry(db.Model):
    """One eligible person of a commune's census list.

    Each commune's list is its own: one person may be on several lists of a cycle (a commune
    learns nothing of the others' lists). The person still claims one ballot per cycle, in
    the commune of their account: services/eligibility.py locks every entry of the identity.
    """

    __tablename__ = "census_entries"
    # identifier_hash before commune_id: the index also finds every list of an identity.
    __table_args__ = (UniqueConstraint("cycle_id", "identifier_hash", "commune_id",
                                       name="uq_census_entries_commune_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    identifier_hash: Mapped[str] = mapped_column(String(64))
    birth_hash: Mapped[str] = mapped_column(String(64))  # identifier and date of birth
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when staff record that this person voted in person (on paper, or at a kiosk:
    # services/kiosk_desk.py): it unlocks no online ballot.
    paper_voted_at: Mapped[datetime | None]


class AccessCode(db.Model):
    """A one-time code that unlocks one ballot of its commune (online or on paper)."""

    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    paper_voted_at: Mapped[datetime | None]


class EligibilityDeclaration(db.Model):
    """What a voter declared before their ballot, and the census entry or code they used.

    The UNIQUE constraints are the guarantee that one census identity or one code serves one
    account: when two accounts claim it at once, the second insert fails.

    A polling station's desk that checks a voter by the identity provider on the staff device
    (services/desk_identity.py) records that identity here too, with `in_person_at` and no
    account: the same UNIQUE constraint then keeps that identity from any online ballot.
    """

    __tablename__ = "eligibility_declarations"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id",
                                       name="uq_eligibility_declarations_voter"),
                      # One identity verified by the provider, one ballot per cycle, whichever
                      # accounts it was linked to (NULLs: declarations without it).
                      UniqueConstraint("cycle_id", "identity_hash",
                                       name="uq_eligibility_declarations_identity"),
                      CheckConstraint("user_id IS NOT NULL OR in_person_at IS NOT NULL",
                                      name="account_or_in_person"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    # None: an identity checked at a polling station's desk, who voted there (no account).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The commune the voter swore to live in (their home commune then).
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    birth_date: Mapped[date | None]  # kept only when the cycle has an age rule
    sworn_at: Mapped[datetime | None]  # when they certified their residence
    census_entry_id: Mapped[int | None] = mapped_column(ForeignKey("census_entries.id"),
                                                        unique=True)
    access_code_id: Mapped[int | None] = mapped_column(ForeignKey("access_codes.id"),
                                                       unique=True)
    # The identity verified by the provider (a cycle's keyed hash of the account's identity
    # hash: two cycles' declarations of one person cannot be linked).
    identity_hash: Mapped[str | None] = mapped_column(String(64))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a polling station's desk recorded that this identity votes in person (at a kiosk):
    # it then opens no online ballot.
    in_person_at: Mapped[datetime | None]
