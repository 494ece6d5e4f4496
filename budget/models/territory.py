from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.extensions import db


class Intercommunality(db.Model):
    """An EPCI: a grouping of communes, identified by its 9-digit SIREN."""

    __tablename__ = "intercommunalities"
    __table_args__ = (CheckConstraint("length(siren) = 9", name="siren_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(9), unique=True)

    communes: Mapped[list[Commune]] = relationship(
        back_populates="intercommunality", order_by="Commune.name")


class Commune(db.Model):
    __tablename__ = "communes"
    __table_args__ = (
        CheckConstraint("length(insee_code) = 5", name="insee_code_length"),
        CheckConstraint("population >= 0", name="population_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intercommunality_id: Mapped[int] = mapped_column(ForeignKey("intercommunalities.id"),
                                                     index=True)
    name: Mapped[str] = mapped_column(String(200))
    insee_code: Mapped[str] = mapped_column(String(5), unique=True)
    population: Mapped[int | None]  # None: unknown (an imported election's synthetic commune)

    intercommunality: Mapped[Intercommunality] = relationship(back_populates="communes")
