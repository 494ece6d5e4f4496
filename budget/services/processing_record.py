"""The record of processing (registre des activités de traitement, GDPR article 30) of one
cycle, derived from its settings: what personal data the cycle holds, why, for how long and who
sees it. docs/personal-data.md is the long form; this is what staff file for one cycle.

Plain data here (English msgids, translated when rendered); the PDF is in
exports/processing_record_pdf.py. The controller's name is the cycle's holder (the
intercommunalité, or the commune of its own cycle); the data protection officer and the host
are left for staff to fill in, as the installation does not know them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from budget.domain.eligibility import Proof
from budget.domain.phases import N_
from budget.extensions import db
from budget.models import BudgetCycle, PaperBatch
from budget.services.eligibility import purge_deadline


@dataclass(frozen=True)
class Entry:
    """One category of data: what (msgid), why, how long, who sees it. `params` fill the
    msgids (dates as datetimes)."""

    data: str
    purpose: str
    retention: str
    recipients: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProcessingRecord:
    cycle: BudgetCycle
    controller: str  # the intercommunalité or the commune running the cycle
    controller_code: str  # its SIREN, or the commune's INSEE code
    people: list[str]  # categories of persons concerned (msgids)
    entries: list[Entry]
    purge_from: datetime  # eligibility data may be deleted from then (naive UTC)
    paper: bool  # the cycle has paper ballots


def build(cycle: BudgetCycle) -> ProcessingRecord:
    """The record of `cycle`, from its eligibility rules and whether it has paper ballots."""
    rules = cycle.eligibility_rules
    paper = bool(db.session.scalar(select(func.count()).select_from(PaperBatch).where(
        PaperBatch.cycle_id == cycle.id)))
    deadline = purge_deadline(cycle)
    until_purge = N_("Until the purge, two months after the vote closes (from %(date)s): "
                     "flask budget purge-eligibility.")
    entries = [
        Entry(N_("Account: email address, display name, home commune, password hash"),
              N_("Signing in, voting on the ballot of one's commune, submitting proposals."),
              N_("While the account exists."),
              N_("The person; the display name is public on their proposals; admins.")),
        Entry(N_("Proposals: title, description, cost, location, photos (without metadata)"),
              N_("Presenting residents' projects and the staff's review."),
              N_("With the cycle, as a public record of the consultation."),
              N_("Everyone (published under the Licence Ouverte 2.0).")),
        Entry(N_("Who voted: account, cycle, time (participations)"),
              N_("Proof that each person voted once."),
              N_("With the cycle."),
              N_("Staff through the database; never linked to a ballot.")),
        Entry(N_("Ballots: choices, commune, day; no voter identifier"),
              N_("Counting and recounting the vote."),
              N_("With the cycle, anonymous (the published Pabulib files)."),
              N_("Everyone, anonymised.")),
    ]
    if rules.sworn_residence or rules.asks_anything:
        entries.append(Entry(
            N_("The voter's declaration: commune sworn, time of the statement, link to the "
               "census entry or code used"),
            N_("Proof that the voter met the cycle's rules; one identity per account."),
            until_purge, N_("Staff through the database; never linked to a ballot."),
            {"date": deadline}))
    if rules.needs_birth_date:
        entries.append(Entry(
            N_("Date of birth"),
            N_("Checking the minimum age of %(age)s years on %(reference)s.")
            if rules.minimum_age else N_("Checking the voter against the census list."),
            until_purge, N_("Staff through the database."),
            {"date": deadline, "age": rules.minimum_age, "reference": rules.reference_date}))
    if rules.proof == Proof.CENSUS:
        entries.append(Entry(
            N_("Census list: identifier and date of birth, stored only as keyed hashes"),
            N_("Checking that a person is on the list the commune gave."),
            until_purge, N_("Nobody can read them back; staff see how many each list has."),
            {"date": deadline}))
    if rules.proof == Proof.ACCESS_CODE:
        entries.append(Entry(
            N_("Access codes, stored only as keyed hashes"),
            N_("One code opens one ballot of its commune."),
            until_purge, N_("Nobody can read them back; the letters are printed once."),
            {"date": deadline}))
    if paper:
        entries.append(Entry(
            N_("Paper ballots: batches, the two typists' entries, the \"voted on paper\" "
               "mark"),
            N_("Counting paper ballots with the online ones; nobody votes twice."),
            N_("With the cycle; the marks until the purge (from %(date)s)."),
            N_("Staff of the commune and of the intercommunalité."), {"date": deadline}))
    holder = cycle.commune or cycle.intercommunality
    code = cycle.commune.insee_code if cycle.commune else cycle.intercommunality.siren
    people = [N_("Residents with an account, who propose or vote"),
              N_("Staff, council members and admins of the platform")]
    if rules.proof != Proof.NONE:
        people.append(N_("Residents on the census list or sent an access code"))
    return ProcessingRecord(cycle, holder.name, code, people, entries, deadline, paper)
