"""The catalogue of funded projects (domain/catalogue.py): reference data, never votes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint,
                        event, func, literal_column)
from sqlalchemy.orm import Mapped, mapped_column

from budget.domain.search_text import searchable
from budget.extensions import db
from budget.models.time import utcnow


class CatalogueEntry(db.Model):
    """A project of some territory, as its source published it: imported by an admin (another
    installation's open data, a Pabulib file) or one of this installation's published winners
    (`proposal_id`, added at publication; its delivery is read from its tracking record)."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_catalogue_entries_source_external_id"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        Index("ix_catalogue_entries_search_text_french",
              func.to_tsvector(literal_column("'french'"), literal_column("search_text")),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # An installation's address, a Pabulib file's name, or "local" (domain LOCAL_SOURCE).
    source: Mapped[str] = mapped_column(String(300))
    external_id: Mapped[str] = mapped_column(String(64))  # its id in that source
    licence: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int]  # whole units of `currency`
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    themes: Mapped[str] = mapped_column(String(700), default="")  # '|Nature|Sport|'
    territory_name: Mapped[str] = mapped_column(String(200))
    territory_code: Mapped[str | None] = mapped_column(String(16))  # INSEE or SIREN
    population_band: Mapped[str | None] = mapped_column(String(16), index=True)  # a Band
    year: Mapped[int | None]
    selected: Mapped[bool | None]  # None: the source does not say
    stage: Mapped[str | None] = mapped_column(String(16))  # a Stage, when the source says
    decided_on: Mapped[date | None]
    delivered_on: Mapped[date | None]
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), unique=True)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(CatalogueEntry, "before_insert")
@event.listens_for(CatalogueEntry, "before_update")
def _keep_search_text(mapper, connection, entry: CatalogueEntry) -> None:
    entry.search_text = searchable(entry.title, entry.description)
