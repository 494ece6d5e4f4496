"""What a file brings to the catalogue: another installation's open-data export
(docs/opendata.md) or the PROJECTS of a Pabulib file, as a Batch (domain/catalogue.py).

Either the whole file is read, or FileRefused is raised with the line it is about: nothing of
a refused file reaches the catalogue. Messages are English msgids, translated by the caller.
"""
from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from budget.domain.catalogue import MAX_DESCRIPTION, MAX_TITLE, Batch, EntryData
from budget.domain.catalogue_json import Located, load
from budget.domain.delivery import Stage
from budget.domain.errors import DomainError
from budget.domain.pabulib import PabulibError, read_pabulib_text

MAX_ID = 64
MAX_SOURCE = 300


class FileRefused(DomainError):
    """The file cannot be imported; `line` is where (None: about the whole file)."""

    def __init__(self, message: str, line: int | None = None, **params):
        super().__init__(message, field="file", **params)
        self.line = line


def _text(value, what: str, line: int, limit: int, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise FileRefused("%(what)s is missing or is not a text.", line, what=what)
    return value.strip()[:limit]


def _whole(value, what: str, line: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise FileRefused("%(what)s is not a positive number.", line, what=what)
    return round(value)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def from_opendata(text: str) -> Batch:
    """A published open-data export of another installation (schema 1.x)."""
    try:
        doc = load(text)
    except json.JSONDecodeError as error:
        raise FileRefused("This is not JSON (%(detail)s).", error.lineno,
                          detail=error.msg) from None
    if not isinstance(doc, Located) or not str(doc.get("schema_version", "")).startswith("1."):
        raise FileRefused("This is not an open-data export of a participatory budget "
                          "(schema_version 1.x).", getattr(doc, "line", 1))
    if doc.get("status") != "published":
        raise FileRefused("Only published results can be imported, not a preview.", doc.line)
    cycle, territory = doc.get("cycle"), doc.get("territory")
    if not isinstance(cycle, Located) or not isinstance(territory, Located):
        raise FileRefused("The export has no cycle or no territory.", doc.line)
    publisher = doc.get("publisher") if isinstance(doc.get("publisher"), dict) else {}
    epci = _text(territory.get("name"), "territory.name", territory.line, 200)
    source = str(publisher.get("url") or f"{epci} ({territory.get('siren') or '?'})")
    communes = {c.get("insee_code"): c for c in territory.get("communes") or []
                if isinstance(c, dict)}
    tracking = {t.get("project_id"): t for t in doc.get("tracking") or [] if isinstance(t, dict)}
    decided = _day(cycle.get("vote_end"))
    batch = Batch(source[:MAX_SOURCE], str(publisher.get("licence") or "")[:200])
    for envelope in doc.get("envelopes") or []:
        if not isinstance(envelope, Located):
            raise FileRefused("An envelope is not an object.", doc.line)
        commune = communes.get(envelope.get("commune_insee_code"))
        for project in envelope.get("projects") or []:
            batch.entries.append(_opendata_entry(project, envelope, cycle, territory, commune,
                                                 tracking, decided))
    return batch


def _opendata_entry(project, envelope, cycle, territory, commune, tracking, decided):
    if not isinstance(project, Located):
        raise FileRefused("A project is not an object.", envelope.line)
    line = project.line
    if "id" not in project or isinstance(project["id"], (dict, list)):
        raise FileRefused("%(what)s is missing or is not a text.", line, what="id")
    follow_up = tracking.get(project["id"]) or {}
    stage = follow_up.get("stage")
    place = commune if commune is not None else territory
    return EntryData(
        external_id=f"{cycle.get('id')}-{project['id']}"[:MAX_ID],
        title=_text(project.get("title"), "title", line, MAX_TITLE),
        cost=_whole(project.get("cost_eur"), "cost_eur", line), currency="EUR",
        selected=project.get("selected") is True,
        territory_name=_text(place.get("name"), "name", line, 200),
        territory_code=str(place.get("insee_code") or place.get("siren") or "")[:16] or None,
        population=place.get("population") if isinstance(place.get("population"), int)
        else None,
        year=decided.year if decided else None, decided_on=decided,
        description=_text(project.get("description"), "description", line, MAX_DESCRIPTION,
                          required=False),
        themes=tuple(t if isinstance(t, str) else str(t.get("name", ""))
                     for t in project.get("themes") or [] if isinstance(t, (str, dict))),
        stage=Stage(stage) if stage in {s.value for s in Stage} else None,
        delivered_on=_day(follow_up.get("delivered_on")), line=line)


def _project_lines(text: str) -> list[int]:
    """The line of each PROJECTS row, in file order (the reader keeps no lines)."""
    lines, inside, header = [], False, False
    for number, raw in enumerate(text.splitlines(), start=1):
        row = raw.strip()
        if row.upper() in ("META", "PROJECTS", "VOTES"):
            inside, header = row.upper() == "PROJECTS", True
        elif inside and row:
            if header:
                header = False
            else:
                lines.append(number)
    return lines


def from_pabulib(name: str, text: str) -> Batch:
    """The PROJECTS of a Pabulib file named `name` (its source): reference data, not votes."""
    try:
        pb = read_pabulib_text(text)
    except PabulibError as error:
        raise FileRefused("Unreadable Pabulib file (%(detail)s).", error.line,
                          detail=str(error)) from None
    meta, lines = pb.meta, _project_lines(text)
    place = " – ".join(filter(None, (meta.get("unit"), meta.get("subunit")))) or name
    year = meta.get("instance", "")[:4]
    batch = Batch(name[:MAX_SOURCE], (meta.get("licence") or meta.get("license") or "")[:200])
    for index, (pid, cells) in enumerate(pb.projects.items()):
        line = lines[index] if index < len(lines) else None
        cost = Fraction(pb.election.costs.get(pid, 0))
        if cost < 0:
            raise FileRefused("%(what)s is not a positive number.", line, what="cost")
        if len(pid) > MAX_ID:
            raise FileRefused("%(what)s is missing or is not a text.", line, what="project_id")
        batch.entries.append(EntryData(
            external_id=pid, title=(cells.get("name") or f"Project {pid}")[:MAX_TITLE],
            cost=round(cost), currency=(meta.get("currency") or "EUR")[:3].upper(),
            selected={"1": True, "0": False}.get(cells.get("selected", "")),
            territory_name=place[:200],
            year=int(year) if year.isdigit() else None,
            description=cells.get("description", "")[:MAX_DESCRIPTION],
            themes=tuple(cells.get("category", "").split(",")), line=line))
    if not batch.entries:
        raise FileRefused("The file lists no project.", None)
    return batch
