"""An account's link to an OpenID Connect identity (FranceConnect or another provider).

The provider's subject identifier (`sub`) is never stored: only a keyed hash of it
(services/identity_hash.py says why keyed), which finds the account at the next sign-in. The
date of birth the provider certified is kept for the age rules of cycles: the resident cannot
edit it. Names, place and country of birth and gender are not stored (docs/personal-data.md).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db
from budget.models.time import utcnow


class ProviderIdentity(db.Model):
    """One account, one identity; one identity, one account (both UNIQUE)."""

    __tablename__ = "provider_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    subject_hash: Mapped[str] = mapped_column(String(64), unique=True)
    birth_date: Mapped[date | None]  # as the provider certified it
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime] = mapped_column(default=utcnow)
