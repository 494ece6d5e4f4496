from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget.domain.ballot_rules import vote_format_from
from budget.domain.discussion import DEFAULT_COMMENT_PHASES
from budget.domain.eligibility import EligibilityRules
from budget.domain.phases import Phase, Schedule, current_phase
from budget.domain.supports import Threshold
from budget.extensions import db
from budget.models.territory import Commune, Intercommunality
from budget.models.time import utcnow


class BudgetCycle(db.Model):
    __tablename__ = "budget_cycles"
    __table_args__ = (
        CheckConstraint("proposals_start < review_start AND review_start < vote_start "
                        "AND vote_start < vote_end", name="phases_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intercommunality_id: Mapped[int] = mapped_column(ForeignKey("intercommunalities.id"),
                                                     index=True)
    # Set for a commune's own cycle: one envelope, its residents only.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    proposals_start: Mapped[datetime]
    # The optional supports phase, between proposals and review (None: no supports phase).
    supports_start: Mapped[datetime | None]
    # Which proposals the supports send to review: domain.supports.Threshold.as_params();
    # None: supports only inform.
    support_threshold: Mapped[dict | None] = mapped_column(JSON)
    # When staff closed the supports phase, leaving out the proposals below the threshold.
    supports_closed_at: Mapped[datetime | None]
    review_start: Mapped[datetime]
    vote_start: Mapped[datetime]
    vote_end: Mapped[datetime]
    vote_format: Mapped[str] = mapped_column(String(32), default="approval")
    vote_params: Mapped[dict] = mapped_column(JSON, default=dict)
    tally_rule: Mapped[str] = mapped_column(String(32), default="greedy")
    # How many ballots the box held when a tally last sealed it (ballot_box.seal): the box
    # only grows, so the same count means no ballot came since, and sealing again is skipped.
    sealed_ballots: Mapped[int | None]
    # The sum the intercommunalité agreed for all envelopes (euros); None: no cap. Commune
    # staff set their envelope within it.
    total_amount: Mapped[int | None]
    # Who may vote: domain.eligibility.EligibilityRules.as_params(); None: every resident.
    eligibility: Mapped[dict | None] = mapped_column(JSON)
    # Where an imported election comes from (None: a vote held on this platform):
    # {"kind": "pabulib", "files": [file names], "dates_known": bool}. When the files give no
    # dates, the dates above are placeholders that only set the phase: never show them.
    source: Mapped[dict | None] = mapped_column(JSON)
    # The phases in which residents may comment on proposals (Phase values), chosen by staff.
    comment_phases: Mapped[list] = mapped_column(
        JSON, default=lambda: list(DEFAULT_COMMENT_PHASES),
        server_default='["proposals", "review"]')

    intercommunality: Mapped[Intercommunality] = relationship()
    commune: Mapped[Commune | None] = relationship()
    envelopes: Mapped[list[Envelope]] = relationship(
        back_populates="cycle", order_by="Envelope.id")
    tally_runs: Mapped[list["TallyRun"]] = relationship(  # noqa: F821
        back_populates="cycle", order_by="TallyRun.id")

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.proposals_start, self.review_start, self.vote_start, self.vote_end,
                        self.supports_start)

    @property
    def published_run(self):
        published = [run for run in self.tally_runs if run.published_at is not None]
        return published[-1] if published else None

    def phase(self, now: datetime | None = None) -> Phase:
        now = now or utcnow()
        # Results are published only once the vote is over, and the dates are frozen from the
        # vote on: the tally runs need reading only after the vote's end (not on every ballot).
        published = now >= self.vote_end and self.published_run is not None
        return current_phase(self.schedule, now, published)

    @property
    def threshold(self) -> Threshold:
        return Threshold.from_params(self.support_threshold)

    @property
    def ballot_format(self):
        return vote_format_from(self.vote_format, self.vote_params)

    def format_for(self, envelope: Envelope):
        """The vote format of one envelope: the cycle's, with that envelope's own limits."""
        return self.format_with(envelope.vote_params)

    def format_with(self, envelope_limits: dict | None):
        return vote_format_from(self.vote_format, {**self.vote_params, **(envelope_limits or {})})

    @property
    def eligibility_rules(self) -> EligibilityRules:
        return EligibilityRules.from_params(self.eligibility)

    @property
    def is_imported(self) -> bool:
        """An election imported from files (no receipts, no voter list), not held here."""
        return self.source is not None

    @property
    def dates_known(self) -> bool:
        """False when vote_start/vote_end are placeholders (an import without dates)."""
        return self.source is None or bool(self.source.get("dates_known"))

    @property
    def is_commune_cycle(self) -> bool:
        return self.commune_id is not None

    def envelopes_for(self, commune_id: int) -> list[Envelope]:
        """The envelopes on the ballot of a commune's residents: theirs, then the shared one.
        A commune's own cycle has a single envelope, the commune's."""
        if self.commune_id is not None and commune_id != self.commune_id:
            return []
        return sorted((e for e in self.envelopes
                       if e.commune_id in (commune_id, None)),
                      key=lambda e: e.commune_id is None)


class Envelope(db.Model):
    """Money set aside in a cycle: one per commune, plus one intercommunal (commune_id NULL)."""

    __tablename__ = "envelopes"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("cycle_id", "commune_id", name="uq_envelopes_cycle_commune"),
        # NULLs are distinct in a UNIQUE constraint: this index allows one intercommunal envelope.
        Index("uq_envelopes_one_intercommunal", "cycle_id", unique=True,
              sqlite_where=db.text("commune_id IS NULL"),
              postgresql_where=db.text("commune_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("budget_cycles.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    amount: Mapped[int]  # whole euros
    # This envelope's own ballot limits (same vote format as the cycle), set by its commune.
    vote_params: Mapped[dict | None] = mapped_column(JSON)
    # An imported envelope's file META as read (budget.domain.pabulib), so that its export
    # writes the file's facts back (instance, edition, dates, language, currency...).
    source_meta: Mapped[dict | None] = mapped_column(JSON)

    cycle: Mapped[BudgetCycle] = relationship(back_populates="envelopes")
    commune: Mapped[Commune | None] = relationship()

    @property
    def is_intercommunal(self) -> bool:
        return self.commune_id is None
