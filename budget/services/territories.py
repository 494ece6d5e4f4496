"""Admins bring intercommunalités and their communes in from a CSV file (see
budget/domain/territory_csv.py for the format): all rows or none."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from budget.domain.errors import NotAllowed
from budget.domain.territory_csv import LineProblem, TerritoryFileError, parse
from budget.extensions import db
from budget.models import Commune, Intercommunality, Role
from budget.services import audit
from budget.services.transaction import use_case


@dataclass
class ImportReport:
    created_epcis: list[str] = field(default_factory=list)
    created_communes: int = 0
    updated_communes: int = 0
    unchanged_communes: int = 0


def check_admin(user) -> None:
    if user is None or not user.is_authenticated or user.role != Role.ADMIN:
        raise NotAllowed("You are not allowed to do this.")


@use_case
def import_territories(user, data: bytes) -> ImportReport:
    """Create the file's intercommunalités and communes, update the names and populations of
    those already known; one commit. A commune never moves to another intercommunalité here
    (its cycles and envelopes belong to the old one): such a row is an error. Raises
    NotAllowed, DomainError or TerritoryFileError (every problem; nothing written)."""
    check_admin(user)
    rows = parse(data)
    epcis = {e.siren: e for e in db.session.scalars(select(Intercommunality).where(
        Intercommunality.siren.in_({row.siren for row in rows})))}
    # All communes at once: a few thousand rows at most, and no bound-parameter limit to meet.
    communes = {c.insee_code: c for c in db.session.scalars(select(Commune))}
    moved = [LineProblem("Line %(line)d: %(commune)s already belongs to %(epci)s; moving a "
                         "commune to another intercommunality is not supported.",
                         line=row.line, commune=row.name,
                         epci=communes[row.insee_code].intercommunality.name)
             for row in rows if row.insee_code in communes
             and communes[row.insee_code].intercommunality.siren != row.siren]
    if moved:
        raise TerritoryFileError(moved)
    report = ImportReport()
    for row in rows:
        epci = epcis.get(row.siren)
        if epci is None:
            epci = epcis[row.siren] = Intercommunality(siren=row.siren, name=row.epci_name)
            db.session.add(epci)
            report.created_epcis.append(row.epci_name)
        epci.name = row.epci_name
        commune = communes.get(row.insee_code)
        if commune is None:
            db.session.add(Commune(intercommunality=epci, insee_code=row.insee_code,
                                   name=row.name, population=row.population))
            report.created_communes += 1
        elif (commune.name, commune.population) != (row.name, row.population):
            commune.name, commune.population = row.name, row.population
            report.updated_communes += 1
        else:
            report.unchanged_communes += 1
    audit.record(user, "territory.import", after={
        "intercommunalities_created": report.created_epcis,
        "communes_created": report.created_communes,
        "communes_updated": report.updated_communes})
    return report


def all_territories() -> list[Intercommunality]:
    return list(db.session.scalars(select(Intercommunality).order_by(Intercommunality.name)))
