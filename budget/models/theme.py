from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from budget.extensions import db


class Theme(db.Model):
    """A theme of a cycle (mobility, nature...), defined by its staff; proposals have one or
    more (proposal_themes)."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("cycle_id", "name", name="uq_themes_cycle_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(200), default="")
    icon: Mapped[str] = mapped_column(String(32))  # an id of domain.themes.ICONS


proposal_themes = Table(
    "proposal_themes", db.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)
