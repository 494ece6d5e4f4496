"""Recording the council's adoption of a published run (domain/adoption.py says what one is).

Staff of whoever decides record it: intercommunal staff for the conseil communautaire and any
commune's conseil municipal, commune staff for their own commune's (Action.RECORD_ADOPTION,
scope COMMUNE, whose target is the commune, or None for the conseil communautaire). The
deliberation's PDF is checked by content, then stored under UPLOAD_FOLDER as proposal photos
are (services/images.py): the file is written before the row is committed and removed if the
commit fails. Records are never edited: a later session is a new record.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from budget.domain.adoption import Body, Outcome, check_pdf, check_record
from budget.domain.errors import DomainError, WrongPhase
from budget.extensions import db
from budget.models import BudgetCycle, Commune, CouncilAdoption, TallyRun
from budget.models.time import to_local, utcnow
from budget.services import audit, policy
from budget.services.images import removed_unless_committed
from budget.services.policy import Action
from budget.services.transaction import unit_of_work


@dataclass(frozen=True)
class AdoptionDraft:
    """What the form gives: `commune_id` None for the conseil communautaire."""

    commune_id: int | None
    session_date: date
    deliberation_number: str
    outcome: Outcome


def pdf_path(adoption: CouncilAdoption) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / f"deliberation-{adoption.pdf_token}.pdf"


def bodies(user, cycle: BudgetCycle) -> list[Commune | None]:
    """The councils whose decision `user` may record in `cycle`, whatever the phase: None for
    the conseil communautaire (an intercommunal cycle's), then communes with an envelope."""
    found: list[Commune | None] = []
    if cycle.commune_id is None and policy.concerns(user, Action.RECORD_ADOPTION, cycle, None):
        found.append(None)
    found += [e.commune for e in cycle.envelopes if e.commune_id is not None
              and policy.concerns(user, Action.RECORD_ADOPTION, cycle, e.commune)]
    return found


def adoptions_of(run: TallyRun | None) -> list[CouncilAdoption]:
    """The decisions recorded on `run`, by session date, then as recorded."""
    if run is None or run.id is None:
        return []
    return list(db.session.scalars(select(CouncilAdoption).where(
        CouncilAdoption.tally_run_id == run.id).order_by(
        CouncilAdoption.session_date, CouncilAdoption.id)))


def revision(run: TallyRun) -> str:
    """A name for the state of the run's adoptions, for the files built once per state
    (exports/stored.py): "" without any; records are only ever added, so the last id says it."""
    last = db.session.scalar(select(CouncilAdoption.id).where(
        CouncilAdoption.tally_run_id == run.id).order_by(CouncilAdoption.id.desc()).limit(1))
    return f"-adoption-{last}" if last else ""


def record_adoption(user, cycle: BudgetCycle, draft: AdoptionDraft,
                    pdf: bytes | None = None) -> CouncilAdoption:
    """Record a council's decision on the cycle's published run, with its deliberation's PDF
    if given. Raises NotAllowed, WrongPhase, DomainError (naming the field)."""
    commune = None
    if draft.commune_id is not None:
        commune = next((e.commune for e in cycle.envelopes
                        if e.commune_id == draft.commune_id), None)
        if commune is None:
            raise DomainError("This commune has no envelope in this cycle.", field="body")
    elif cycle.commune_id is not None:
        raise DomainError("A commune's own cycle is adopted by its conseil municipal.",
                          field="body")
    policy.check(user, Action.RECORD_ADOPTION, cycle, commune)
    run = cycle.published_run
    if run is None:
        raise WrongPhase("This cannot be done in the current phase of the cycle.")
    number = draft.deliberation_number.strip()
    check_record(number, draft.session_date, to_local(run.published_at).date(),
                 to_local(utcnow()).date())
    if pdf is not None:
        check_pdf(pdf, current_app.config["MAX_DELIBERATION_BYTES"])
    with removed_unless_committed() as written, unit_of_work():
        adoption = CouncilAdoption(
            tally_run_id=run.id, cycle_id=cycle.id,
            body=(Body.MUNICIPAL if commune else Body.COMMUNITY).value,
            commune_id=commune.id if commune else None, session_date=draft.session_date,
            deliberation_number=number, outcome=draft.outcome.value,
            recorded_by_id=user.id)
        if pdf is not None:
            adoption.pdf_token, adoption.pdf_bytes = secrets.token_hex(16), len(pdf)
            path = pdf_path(adoption)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
            written.append(path)
        db.session.add(adoption)
        audit.record(user, "adoption.record", adoption, cycle=cycle, after={
            "run_id": run.id, "body": adoption.body, "commune_id": adoption.commune_id,
            "session_date": adoption.session_date, "deliberation_number": number,
            "outcome": adoption.outcome, "pdf_bytes": adoption.pdf_bytes})
    return adoption
