from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db
from budget.models.territory import Commune, Intercommunality
from budget.models.time import utcnow


class Role(str, enum.Enum):
    CITIZEN = "citizen"
    COMMUNE_STAFF = "commune_staff"  # works for one commune: its proposals, its paper ballots
    STAFF = "staff"  # works for an intercommunalité: its cycles
    COUNCIL = "council"  # elected member of an intercommunalité: reads and exports results
    ADMIN = "admin"  # runs the installation: territories and accounts


# Who works where: commune staff for a commune, staff and council for an intercommunalité.
WORKS_FOR_COMMUNE = frozenset({Role.COMMUNE_STAFF})
WORKS_FOR_INTERCOMMUNALITY = frozenset({Role.STAFF, Role.COUNCIL})


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Emails are stored lower-cased, so this unique constraint ignores case.
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("(role = 'commune_staff') = (works_for_commune_id IS NOT NULL)",
                        name="commune_staff_has_commune"),
        CheckConstraint("(role IN ('staff', 'council')) = "
                        "(works_for_intercommunality_id IS NOT NULL)",
                        name="intercommunal_roles_have_territory"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, length=16,
             create_constraint=True,
             values_callable=lambda roles: [role.value for role in roles]),
        default=Role.CITIZEN)
    # Where the person lives (votes, proposes); any role may live somewhere.
    home_commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    # Where the person works: set for exactly the roles that work for one territory.
    works_for_commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"),
                                                             index=True)
    works_for_intercommunality_id: Mapped[int | None] = mapped_column(
        ForeignKey("intercommunalities.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the id kept in session cookies: raising it signs out every session at once.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when the owner opened the link mailed to the address; until then no vote, no proposal.
    email_verified_at: Mapped[datetime | None]
    # Opted in (registration or account page): an email when a cycle's results are published.
    notify_results: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Opted in (account page): an email when a winning project of their commune changes stage.
    notify_delivery: Mapped[bool] = mapped_column(default=False, server_default=false())

    home_commune: Mapped[Commune | None] = relationship(foreign_keys=[home_commune_id])
    works_for_commune: Mapped[Commune | None] = relationship(
        foreign_keys=[works_for_commune_id])
    works_for_intercommunality: Mapped[Intercommunality | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_staff(self) -> bool:
        """Works on cycles (commune or intercommunal staff, admin): may open the staff pages."""
        return self.role in (Role.COMMUNE_STAFF, Role.STAFF, Role.ADMIN)

    @property
    def workplace_intercommunality_id(self) -> int | None:
        """The intercommunalité this person works for (a commune's, for commune staff)."""
        if self.works_for_commune is not None:
            return self.works_for_commune.intercommunality_id
        return self.works_for_intercommunality_id
