"""Filling the catalogue: an admin imports a file (another installation's open data, a Pabulib
file); a publication adds the installation's own winners. Each is one transaction, and
idempotent: an entry already there (same source, same external id) is left as it is.

Why the own winners are copied at publication rather than read from the proposals at query
time: the catalogue is then one table that one search, one set of filters and one pager
serve, on both databases. What a published run decided never changes, so the copy cannot go
stale; what does change, the delivery, is read live from the winner's tracking record
(services/catalogue.py joins it on `proposal_id`).
"""
from __future__ import annotations

from pathlib import PurePath

from sqlalchemy import select

from budget.domain.catalogue import LOCAL_SOURCE, Batch, band_of, themes_column
from budget.domain.catalogue_files import FileRefused, from_opendata, from_pabulib
from budget.domain.errors import NotAllowed
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle, CatalogueEntry, Proposal, TallyRun
from budget.services import audit, policy, stored_result
from budget.services.transaction import unit_of_work

MAX_FILE_BYTES = 8_000_000  # what the refusal says


def read_file(name: str, data: bytes) -> Batch:
    """The batch a file brings: `.pb` is Pabulib, anything else is read as an open-data
    export (JSON). Raises FileRefused (with the line)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused("The file is larger than 8 MB.", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused("The file is not UTF-8 text.",
                          data[:error.start].count(b"\n") + 1) from None
    if "\x00" in text:
        raise FileRefused("The file is not UTF-8 text.", text[:text.index("\x00")].count(
            "\n") + 1)
    name = PurePath(name or "").name or "catalogue"
    if name.lower().endswith(".pb"):
        return from_pabulib(name, text)
    return from_opendata(text)


def import_file(user, name: str, data: bytes) -> int:
    """Read and import one file (read_file) as `user`, an admin (or the system operator).
    Returns how many entries were added (0 when the file was imported before). Raises
    NotAllowed or FileRefused; nothing is written then."""
    if not policy.administers(user):
        raise NotAllowed("You are not allowed to do this.")
    batch = read_file(name, data)
    with unit_of_work():
        begin_write_transaction()
        added = _add(batch)
        audit.record(user, "catalogue.import", after={
            "source": batch.source, "entries": len(batch.entries), "added": added})
    return added


def _add(batch: Batch) -> int:
    known = set(db.session.scalars(select(CatalogueEntry.external_id)
                                   .where(CatalogueEntry.source == batch.source)))
    added = 0
    for entry in batch.entries:
        if entry.external_id in known:
            continue
        known.add(entry.external_id)
        band = band_of(entry.population)
        db.session.add(CatalogueEntry(
            source=batch.source, external_id=entry.external_id, licence=batch.licence,
            title=entry.title, description=entry.description, cost=entry.cost,
            currency=entry.currency, themes=themes_column(entry.themes),
            territory_name=entry.territory_name, territory_code=entry.territory_code,
            population_band=band.value if band else None, year=entry.year,
            selected=entry.selected, stage=entry.stage.value if entry.stage else None,
            decided_on=entry.decided_on, delivered_on=entry.delivered_on))
        added += 1
    db.session.flush()
    return added


def add_published_winners(cycle: BudgetCycle, run: TallyRun) -> int:
    """This installation's winners of `run`, being published, into the catalogue: call it
    inside the publication's unit of work (services/tally.py). Returns how many were added.
    An election imported from Pabulib files (a replay of another city's vote) adds nothing:
    the catalogue takes other territories' projects from their own files."""
    if cycle.is_imported:
        return 0
    winners = [project.id for _, project in stored_result.read(run.result).winners]
    known = set(db.session.scalars(select(CatalogueEntry.proposal_id)
                                   .where(CatalogueEntry.proposal_id.in_(winners))))
    added = 0
    for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(winners))
                                       .order_by(Proposal.id)):
        if proposal.id in known:
            continue
        commune = proposal.envelope.commune  # None: the intercommunal envelope
        epci = cycle.intercommunality
        band = band_of(commune.population) if commune else None
        decided = cycle.vote_end.date() if cycle.dates_known else None
        db.session.add(CatalogueEntry(
            source=LOCAL_SOURCE, external_id=str(proposal.id), licence="",
            title=proposal.title[:200], description=proposal.description,
            cost=proposal.cost, currency="EUR",
            themes=themes_column(tuple(t.name for t in proposal.themes)),
            territory_name=commune.name if commune else epci.name,
            territory_code=commune.insee_code if commune else epci.siren,
            population_band=band.value if band else None,
            year=decided.year if decided else None, selected=True, decided_on=decided,
            proposal_id=proposal.id))
        added += 1
    return added



def add_every_published_winner() -> int:
    """The winners of every published cycle into the catalogue (cycles published before it
    existed); those already there are left as they are. Returns how many were added."""
    added = 0
    with unit_of_work():
        begin_write_transaction()
        for cycle in db.session.scalars(select(BudgetCycle).order_by(BudgetCycle.id)):
            run = cycle.published_run
            if run is not None:
                added += add_published_winners(cycle, run)
    return added
