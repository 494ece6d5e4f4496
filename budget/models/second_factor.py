"""A staff member's second factor: a TOTP secret (RFC 6238) and hashed recovery codes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db


class SecondFactor(db.Model):
    __tablename__ = "second_factors"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    # Base32 TOTP secret. Readable by whoever reads the database, like the password hashes'
    # accounts: the second factor protects against a stolen password, not a stolen database.
    secret: Mapped[str] = mapped_column(String(64))
    # None while set up but not yet confirmed by a first code from the person's app.
    confirmed_at: Mapped[datetime | None]
    # The last time step (30 s) whose code was accepted: a code signs in once.
    last_step: Mapped[int | None]
    # SHA-256 hex digests of the recovery codes not used yet (40 random bits each).
    recovery_hashes: Mapped[list] = mapped_column(JSON, default=list)
