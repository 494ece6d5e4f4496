from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.territory import Commune
from budget.models.time import utcnow


class Role(str, enum.Enum):
    CITIZEN = "citizen"
    STAFF = "staff"
    COUNCIL = "council"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Emails are stored lower-cased, so this unique constraint ignores case.
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, length=16,
             create_constraint=True,
             values_callable=lambda roles: [role.value for role in roles]),
        default=Role.CITIZEN)
    home_commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the id kept in session cookies: raising it signs out every session at once.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Opted in (registration or account page): an email when a cycle's results are published.
    notify_results: Mapped[bool] = mapped_column(default=False, server_default=false())

    home_commune: Mapped[Commune | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)
