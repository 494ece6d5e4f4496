"""Reading a census list: a CSV file of eligible people, one identifier and date of birth a line.

A header line names the two columns (French or English names); separators `;` (French
spreadsheets) or `,`; UTF-8 (with or without BOM), else Windows-1252 as older spreadsheets
write it; lines as domain/csv_lines.py reads them (at most 2,000 characters, no NUL); dates
as DD/MM/YYYY or YYYY-MM-DD. Every bad line is reported with its number; the same person
twice is kept once; the same identifier with two dates of birth is an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from budget.domain import csv_lines
from budget.domain.eligibility import MAX_IDENTIFIER, normalize_identifier
from budget.domain.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024  # about 150 000 lines: more than any intercommunalité's list
IDENTIFIER_COLUMNS = {"identifiant", "identifier", "numero", "numéro", "id"}
BIRTH_COLUMNS = {"date_de_naissance", "date_naissance", "naissance", "birth_date",
                 "date_of_birth"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass
class CensusFile:
    """The people of a well-formed file (identifier -> date of birth) and how many lines
    repeated someone already listed; or the problems, when there is any."""

    people: dict[str, date] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)  # where each person is listed
    repeats: int = 0
    problems: list[DomainError] = field(default_factory=list)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column(header: list[str], names: set[str]) -> int | None:
    cleaned = [name.strip().lower().replace(" ", "_") for name in header]
    return next((i for i, name in enumerate(cleaned) if name in names), None)


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def read_census(data: bytes, today: date) -> CensusFile:
    """Parse a census file. Problems name their line; a file with problems imports nothing."""
    result = CensusFile()
    if len(data) > MAX_BYTES:
        result.problems.append(DomainError("The file is larger than 5 MB: split it by "
                                           "commune."))
        return result
    text = _text(data)
    rows = csv_lines.rows(text, csv_lines.delimiter_of(text))
    try:
        _, header = next(rows, (1, []))
        identifier_at = _column(header, IDENTIFIER_COLUMNS)
        birth_at = _column(header, BIRTH_COLUMNS)
        if identifier_at is None or birth_at is None:
            result.problems.append(DomainError(
                "Line 1 must name the columns “identifiant” and “date_de_naissance”."))
            return result
        for line, row in rows:
            _read_line(result, line, row, identifier_at, birth_at, today)
    except DomainError as unreadable:  # the rest of the file cannot be read
        result.problems.append(unreadable)
        return result
    if not result.people and not result.problems:
        result.problems.append(DomainError("The file lists nobody."))
    return result


def _read_line(result: CensusFile, line: int, row: list[str], identifier_at: int,
               birth_at: int, today: date) -> None:
    if not any(cell.strip() for cell in row):
        return
    if len(row) <= max(identifier_at, birth_at):
        result.problems.append(DomainError("Line %(line)s: a column is missing.", line=line))
        return
    identifier = normalize_identifier(row[identifier_at])
    birth = _date(row[birth_at])
    if not identifier or len(identifier) > MAX_IDENTIFIER:
        result.problems.append(DomainError("Line %(line)s: the identifier is empty or longer "
                                           "than 64 characters.", line=line))
    elif birth is None or birth > today:
        result.problems.append(DomainError("Line %(line)s: “%(text)s” is not a date of birth "
                                           "(DD/MM/YYYY).", line=line, text=row[birth_at]))
    elif identifier in result.people and result.people[identifier] != birth:
        result.problems.append(DomainError("Line %(line)s: this identifier is listed earlier "
                                           "with another date of birth.", line=line))
    elif identifier in result.people:
        result.repeats += 1
    else:
        result.people[identifier] = birth
        result.line_of[identifier] = line
