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
from budget.models import BudgetCycle, PaperBatch, PollingStation
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
    in_person: bool  # the cycle has polling stations (kiosks)


def build(cycle: BudgetCycle) -> ProcessingRecord:
    """The record of `cycle`, from its eligibility rules and whether it has paper ballots or
    polling stations."""
    rules = cycle.eligibility_rules
    paper = _has(PaperBatch, cycle)
    in_person = _has(PollingStation, cycle)
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
    if rules.proof == Proof.IDENTITY_PROVIDER:
        entries.append(Entry(
            N_("Identity verified by FranceConnect: the provider's identifier of the person, "
               "stored only as a keyed hash, and the date of birth it certifies"),
            N_("One identity votes once per cycle, whatever the accounts; checking the age."),
            until_purge, N_("Nobody can read the identifier back; staff through the database "
                            "for the date of birth."),
            {"date": deadline}))
    if in_person:
        entries.append(Entry(
            N_("Voting in person at a kiosk: polling stations, kiosk devices, one-time unlock "
               "codes stored only as keyed hashes, the \"voted in person\" mark"),
            N_("Voting at a town-hall kiosk with the ballot of one's commune; nobody votes "
               "twice."),
            N_("With the cycle; the marks until the purge (from %(date)s)."),
            N_("Staff of the commune and of the intercommunalité; kiosk ballots go to the "
               "same secret ballot box, never linked to a voter."), {"date": deadline}))
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
    if rules.proof in (Proof.CENSUS, Proof.ACCESS_CODE):
        people.append(N_("Residents on the census list or sent an access code"))
    if rules.proof == Proof.IDENTITY_PROVIDER:
        people.append(N_("Residents identified by FranceConnect, online or at a polling "
                         "station's desk"))
    return ProcessingRecord(cycle, holder.name, code, people, entries, deadline, paper,
                            in_person)


def _has(model, cycle: BudgetCycle) -> bool:
    return db.session.scalar(select(func.count()).select_from(model).where(
        model.cycle_id == cycle.id)) > 0
