from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, CheckConstraint, Enum, Float, ForeignKey, Index, String, Text,
                        UniqueConstraint, event, func, literal_column)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.domain.proposals import Status
from budget.domain.search_text import searchable
from budget.extensions import db
from budget.models.catalogue import CatalogueEntry
from budget.models.cycle import BudgetCycle, Envelope
from budget.models.proposal_image import ProposalImage
from budget.models.theme import Theme, proposal_themes
from budget.models.time import utcnow
from budget.models.user import User


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("estimated_cost > 0", name="estimated_cost_positive"),
        CheckConstraint("final_cost IS NULL OR final_cost > 0", name="final_cost_positive"),
        CheckConstraint("status != 'on_ballot' OR final_cost IS NOT NULL",
                        name="on_ballot_has_final_cost"),
        UniqueConstraint("envelope_id", "external_id", name="uq_proposals_envelope_external_id"),
        CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)",
                        name="merged_has_target"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id",
                        name="not_merged_into_itself"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="location_complete"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90",
                        name="latitude_range"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180",
                        name="longitude_range"),
        # PostgreSQL's full-text search (services/search.py); SQLite has no such index.
        Index("ix_proposals_search_text_french",
              func.to_tsvector(literal_column("'french'"), literal_column("search_text")),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    envelope_id: Mapped[int] = mapped_column(ForeignKey("envelopes.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    estimated_cost: Mapped[int]  # whole euros
    final_cost: Mapped[int | None]  # whole euros, set by staff; the ballot uses it
    status: Mapped[Status] = mapped_column(
        Enum(Status, name="proposal_status", native_enum=False, length=16,
             create_constraint=True,
             values_callable=lambda statuses: [status.value for status in statuses]),
        default=Status.SUBMITTED, index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # Why staff changed the cost: shown to the author and the public with the final cost.
    cost_justification: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    # The project's id in the Pabulib file it was imported from: the tally uses it as the
    # project's id, so that a replayed election keeps the city's ids (and its fingerprint).
    external_id: Mapped[str | None] = mapped_column(String(64))
    # An imported project's own PROJECTS columns (name, category, target...), minus the ones
    # the tally recomputes: its export writes them back.
    source_columns: Mapped[dict | None] = mapped_column(JSON)
    # Where the project would be, in WGS 84 degrees (what a map gives); optional, both or none.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # The title and description as a search finds them (domain/search_text.py), kept up to
    # date on every write (below); services/search.py queries it.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The catalogue entry it was started from ("Reprendre ce projet"), shown on it for good.
    # (use_alter: catalogue entries refer to proposals too, the winners of this installation.)
    inspired_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogue_entries.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cycle: Mapped[BudgetCycle] = relationship()
    envelope: Mapped[Envelope] = relationship()
    author: Mapped[User] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])
    inspired_by: Mapped[CatalogueEntry | None] = relationship(
        foreign_keys=[inspired_by_id])
    images: Mapped[list[ProposalImage]] = relationship(order_by=ProposalImage.id,
                                                       cascade="all, delete-orphan")
    themes: Mapped[list[Theme]] = relationship(secondary=proposal_themes,
                                               order_by=Theme.name)

    @property
    def tally_id(self) -> str:
        """The project's id for the tally engine and in exported files."""
        return self.external_id or str(self.id)

    @property
    def cost(self) -> int:
        """The cost voters see: the final one once staff set it."""
        return self.final_cost if self.final_cost is not None else self.estimated_cost


@event.listens_for(Proposal, "before_insert")
@event.listens_for(Proposal, "before_update")
def _keep_search_text(mapper, connection, proposal: Proposal) -> None:
    proposal.search_text = searchable(proposal.title, proposal.description)
