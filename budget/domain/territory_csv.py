"""Territories from a CSV file: communes with their INSEE code, name and population, each in
its intercommunalité (EPCI: SIREN and name).

Two headers are understood: ours (`code_insee;nom_commune;population;siren_epci;nom_epci`)
and the one of the DGCL's yearly "périmètre des EPCI à fiscalité propre" file, the official
register of which commune belongs to which EPCI (`siren;raison_sociale;...;insee;nom_membre;
...;pmun_<year>`). Separator `;` or `,`, UTF-8 (with or without BOM) or Windows-1252, as
spreadsheets save it; lines as domain/csv_lines.py reads them (at most 2,000 characters, no
NUL character). Every problem is reported with its line number; a file with any problem
gives no rows at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budget.domain import csv_lines
from budget.domain.errors import DomainError, InvalidSetup

MAX_BYTES = 5_000_000  # France has ~35,000 communes: the whole register is about 3 MB
COLUMNS = {  # our name -> the names it may have in a file
    "code_insee": ("code_insee", "insee"),
    "nom_commune": ("nom_commune", "nom_membre"),
    "population": ("population", "pmun", "ptot"),
    "siren_epci": ("siren_epci", "siren"),
    "nom_epci": ("nom_epci", "raison_sociale"),
}
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.ASCII)  # Corsica's codes start with 2A / 2B
SIREN = re.compile(r"^\d{9}$", re.ASCII)
MAX_POPULATION = 100_000_000  # above any commune's, and within the 32-bit column


@dataclass(frozen=True)
class CommuneRow:
    line: int
    insee_code: str
    name: str
    population: int
    siren: str
    epci_name: str


class TerritoryFileError(InvalidSetup):
    """The file cannot be imported; `problems` lists every one, each with its line."""


class LineProblem(DomainError):
    """A problem on one line of the file (its message names the line)."""

    def __init__(self, message: str, **params):
        super().__init__(message, field="file", **params)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _header_map(header: list[str]) -> dict[str, int]:
    """Our column name -> its index in the file (a `pmun_2024` column counts as `pmun`)."""
    found = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        base = re.sub(r"_\d{4}$", "", name)
        for ours, names in COLUMNS.items():
            if ours not in found and (name in names or base in names):
                found[ours] = index
    return found


def parse(data: bytes) -> list[CommuneRow]:
    """The communes of the file, in file order; raises TerritoryFileError listing every
    problem (or DomainError when the file as a whole is unreadable)."""
    if len(data) > MAX_BYTES:
        raise DomainError("The file is larger than 5 MB.", field="file")
    try:
        text = _text(data)
    except UnicodeDecodeError:
        raise DomainError("The file must be a CSV saved as UTF-8 or Windows-1252.",
                          field="file") from None
    if not text.strip():
        raise DomainError("The file is empty.", field="file")
    reader = csv_lines.rows(text, csv_lines.delimiter_of(text))
    rows, problems, seen = [], [], {}
    try:
        _, header = next(reader)
        columns = _header_map(header)
        missing = [name for name in COLUMNS if name not in columns]
        if missing:
            raise DomainError("Line 1: the header lacks the columns %(columns)s.",
                              field="file", columns=", ".join(missing))
        for line, cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row, row_problems = _row(line, cells, columns)
            if row and row.insee_code in seen:
                row_problems.append(LineProblem(
                    "Line %(line)d: the commune %(code)s is already on line %(first)d.",
                    line=line, code=row.insee_code, first=seen[row.insee_code]))
            problems += row_problems
            if row and not row_problems:
                seen[row.insee_code] = line
                rows.append(row)
    except DomainError as unreadable:
        if "line" not in unreadable.params:
            raise
        raise TerritoryFileError([*problems, unreadable]) from None
    problems += _one_name_per_epci(rows)
    if problems:
        raise TerritoryFileError(problems)
    if not rows:
        raise DomainError("The file has no commune.", field="file")
    return rows


def _row(line: int, cells: list[str], columns: dict[str, int]):
    def cell(name: str) -> str:
        index = columns[name]
        return cells[index].strip() if index < len(cells) else ""

    problems = []
    code, name, siren, epci = (cell("code_insee").upper(), cell("nom_commune"),
                               cell("siren_epci"), cell("nom_epci"))
    population = cell("population").replace(" ", "").replace("\u202f", "")
    if not INSEE.match(code):
        problems.append(LineProblem("Line %(line)d: “%(value)s” is not an INSEE commune code "
                                    "(5 characters).", line=line, value=code))
    if not name or len(name) > 200:
        problems.append(LineProblem("Line %(line)d: the commune's name is missing or too long.",
                                    line=line))
    if not (population.isascii() and population.isdigit()):  # "²" and "١٢" are digits too
        problems.append(LineProblem("Line %(line)d: the population “%(value)s” is not a whole "
                                    "number.", line=line, value=population))
    elif len(population) > 9 or int(population) > MAX_POPULATION:
        problems.append(LineProblem("Line %(line)d: the population %(value)s is larger than any "
                                    "commune's.", line=line, value=population))
    if not SIREN.match(siren):
        problems.append(LineProblem("Line %(line)d: “%(value)s” is not an EPCI SIREN (9 "
                                    "digits).", line=line, value=siren))
    if not epci or len(epci) > 200:
        problems.append(LineProblem("Line %(line)d: the intercommunality's name is missing or "
                                    "too long.", line=line))
    if problems:
        return None, problems
    return CommuneRow(line, code, name, int(population), siren, epci), []


def _one_name_per_epci(rows: list[CommuneRow]) -> list[DomainError]:
    names: dict[str, CommuneRow] = {}
    problems = []
    for row in rows:
        first = names.setdefault(row.siren, row)
        if first.epci_name != row.epci_name:
            problems.append(LineProblem(
                "Line %(line)d: the SIREN %(siren)s is named “%(name)s” on line %(first)d.",
                line=row.line, siren=row.siren, name=first.epci_name, first=first.line))
    return problems
