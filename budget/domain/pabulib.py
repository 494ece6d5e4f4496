"""Read Pabulib `.pb` files (https://pabulib.org/format); pabulib_writer.py writes them (its
write_pabulib is importable from here too).

The reader streams the file row by row, groups identical ballots as it goes, and either returns
the whole file or raises PabulibError naming the line: never a partial result. It follows
pabutools' reading (`parse_pabulib`) where that matters for the outcome: the project id is the
first PROJECTS column, ids stay strings, `none` cells are missing, costs and budget are exact
decimals (`,` accepted as the decimal point), every VOTES row is a voter (empty ones too) and
`choose-1` is approval. Unlike pabutools it also accepts spaces around ids inside `vote`.

Files come from outside: the reader refuses, with the line, a file or a line larger than its
limits (ReadLimits) before reading it whole, NUL characters (no database stores them), and a
voter id listed twice (a file put together wrongly, or stuffed: one ballot per voter).
"""
from __future__ import annotations

import csv
import gc
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import BinaryIO, Iterator, TextIO

from .pabulib_lines import PabulibError, checked_lines, fast_votes
from .pabulib_writer import write_pabulib
from .tally.model import CARDINAL_VOTE_TYPES, Election

__all__ = ["PabulibError", "PabulibFile", "ReadLimits", "SECTIONS", "VOTE_TYPES",
           "parse_number", "read_pabulib", "read_pabulib_text", "write_pabulib"]

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = {"approval": "approval", "choose-1": "approval", "cumulative": "cumulative",
              "scoring": "scoring", "ordinal": "ordinal"}


@dataclass(frozen=True)
class ReadLimits:
    """The largest file (bytes, checked on paths) and line (characters) the reader accepts;
    None: no limit. Real Pabulib files: 4 MB and 700 characters at most (2026)."""

    max_bytes: int | None = None
    max_line_chars: int | None = None


@dataclass
class PabulibFile:
    """meta: META as strings. projects: id -> {column: text} (cost included), in file order.
    election: the ballots, grouped. warnings: what the file says that does not add up (e.g. a
    `num_votes` that differs from the VOTES rows); they never change the election."""

    meta: dict[str, str]
    projects: dict[str, dict[str, str]]
    election: Election
    warnings: list[str] = field(default_factory=list)


def parse_number(text: str, what: str, line: int | None) -> Fraction | int:
    """An exact decimal ("827838.5", "1404775,68", "1e3" is refused): int when whole."""
    cleaned = text.strip().replace(",", ".")
    try:
        if not cleaned or any(c in cleaned for c in "eE_/ "):
            raise ValueError
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} is not a number: {text!r}", line) from None
    return int(value) if value.denominator == 1 else value


def _cells(row: list[str], header: list[str]) -> dict[str, str]:
    return {key: cell.strip() for key, cell in zip(header, row)
            if cell.strip() and cell.strip().lower() != "none"}


class _Reader:
    """newline: set when `stream` is an io.StringIO made with that newline argument; data: set
    when `stream` is an io.BytesIO over these bytes. Either way the VOTES section of an approval
    or ordinal file is read by pabulib_lines.fast_votes."""

    def __init__(self, stream: TextIO | BinaryIO, max_line_chars: int | None = None,
                 newline: str | None = None, data: bytes | None = None):
        self.stream, self.max_line_chars, self.newline = stream, max_line_chars, newline
        self.data = data
        self.rows = csv.reader(checked_lines(stream, max_line_chars), delimiter=";")
        self.meta: dict[str, str] = {}
        self.projects: dict[str, dict[str, str]] = {}
        self.ids: dict[str, str] = {}   # each project id to itself: ballots share these strings
        self.keys: list = []    # each voter's ballot, in file order (grouped in result())
        self.grouped: dict | None = None    # or each ballot and its count (fast_votes)
        self.voter_lines: dict[str, int] = {}  # each voter id -> the line of its vote
        self.vote_type = ""
        self.budget: Fraction | None = None
        self.section: str | None = None
        self.header: list[str] | None = None
        self.seen: list[str] = []

    def numbered_rows(self, rows, offset: int = 0) -> Iterator[tuple[int, list[str]]]:
        """rows' non-blank rows with their line numbers (plus offset: where rows start)."""
        first = not offset
        try:
            for row in rows:
                if first and row and row[0].startswith("\ufeff"):
                    row[0] = row[0][1:]
                first = False
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                yield offset + rows.line_num, row
        except UnicodeDecodeError:
            raise PabulibError("the file is not UTF-8 text", offset + rows.line_num + 1) from None
        except csv.Error as error:
            raise PabulibError(f"unreadable row ({error})", offset + rows.line_num) from None

    def read(self) -> PabulibFile:
        line = 0
        rows = self.numbered_rows(self.rows)
        fast = self.newline is not None or self.data is not None
        while rows is not None:
            current, rows = rows, None
            for line, row in current:
                self.take(line, row)
                if (fast and self.section == "votes" and self.header is not None
                        and self.vote_type in ("approval", "ordinal")):
                    fast = False
                    rows, line = fast_votes(self, line)     # rows: the rest, if not plain
                    break
        if len(self.seen) < 3 or self.header is None:
            missing = ([s.upper() for s in SECTIONS if s not in self.seen]
                       or [f"{self.seen[-1].upper()} header"])
            raise PabulibError(f"the file ends early: no {', '.join(missing)}", line + 1)
        return self.result()

    def take(self, line: int, row: list[str]) -> None:
        """One non-blank row: a section name, a section's header or one of its rows."""
        name = row[0].strip().lower()
        if self.header is None and self.section is not None:
            self.header = [cell.strip() for cell in row]
            self.start_section(self.section, self.header, line)
        elif name in SECTIONS:
            expected = SECTIONS[len(self.seen)] if len(self.seen) < 3 else None
            if name != expected:
                raise PabulibError(f"section {name.upper()} out of place; expected "
                                   f"{expected.upper() if expected else 'the end'}", line)
            if self.section == "meta":
                self.end_meta(line)
            self.section, self.header = name, None
            self.seen.append(name)
        elif self.section is None:
            raise PabulibError("a Pabulib file starts with a META section", line)
        else:
            if len(row) > len(self.header):
                raise PabulibError(f"{len(row)} cells but the {self.section.upper()} header "
                                   f"has {len(self.header)}", line)
            getattr(self, f"{self.section}_row")(row, self.header, line)

    def start_section(self, section: str, header: list[str], line: int) -> None:
        needed = {"projects": "cost", "votes": "vote"}.get(section)
        if needed and needed not in header:
            raise PabulibError(f"the {section.upper()} header has no {needed!r} column", line)
        if section == "votes" and self.vote_type in CARDINAL_VOTE_TYPES and "points" not in header:
            raise PabulibError(f"{self.vote_type} VOTES need a 'points' column", line)

    def meta_row(self, row: list[str], header: list[str], line: int) -> None:
        if len(row) < 2:
            raise PabulibError(f"a META row needs a key and a value: {';'.join(row)!r}", line)
        key, value = row[0].strip(), row[1].strip()
        self.meta[key] = value
        if key == "vote_type" and value not in VOTE_TYPES:
            raise PabulibError(f"unknown vote_type {value!r}; known: {', '.join(VOTE_TYPES)}", line)
        if key == "budget":
            self.budget = Fraction(parse_number(value, "budget", line))

    def end_meta(self, line: int) -> None:
        for key in ("vote_type", "budget"):
            if key not in self.meta:
                raise PabulibError(f"META has no {key!r}", line)
        self.vote_type = VOTE_TYPES[self.meta["vote_type"]]

    def projects_row(self, row: list[str], header: list[str], line: int) -> None:
        pid = row[0].strip()
        if not pid:
            raise PabulibError("a project has an empty id", line)
        if pid in self.projects:
            raise PabulibError(f"project {pid!r} is listed twice", line)
        cells = _cells(row, header)
        if "cost" not in cells:
            raise PabulibError(f"project {pid!r} has no cost", line)
        parse_number(cells["cost"], f"the cost of project {pid!r}", line)
        if cells["cost"].startswith("-"):
            raise PabulibError(f"project {pid!r} has a negative cost", line)
        self.projects[pid] = cells
        self.ids[pid] = pid

    def votes_row(self, row: list[str], header: list[str], line: int) -> None:
        cells = _cells(row, header)
        # One ballot per voter: a repeated id is a file put together wrongly (or stuffed).
        voter = cells.get("voter_id", "") if "voter_id" in header else row[0].strip()
        if voter:
            first = self.voter_lines.setdefault(voter, line)
            if first != line:
                raise PabulibError(f"voter {voter!r} is listed twice (first on line {first})",
                                   line)
        named = [pid.strip() for pid in cells.get("vote", "").split(",") if pid.strip()]
        # The projects' own id strings: a tally's lookups then compare pointers, not text.
        ids = list(map(self.ids.get, named))
        if None in ids:
            pid = named[ids.index(None)]
            raise PabulibError(f"the vote names an unknown project {pid!r}", line)
        if self.vote_type in CARDINAL_VOTE_TYPES:
            points = [p for p in cells.get("points", "").split(",") if p.strip()]
            if len(points) != len(ids):
                raise PabulibError(f"{len(ids)} projects but {len(points)} points", line)
            ballot = {}
            for pid, pts in zip(ids, points):
                ballot[pid] = parse_number(pts, "points", line)    # an int when whole
            key = tuple(sorted(ballot.items()))
        elif self.vote_type == "ordinal":
            key = tuple(dict.fromkeys(ids))
        else:
            key = frozenset(ids)
        self.keys.append(key)

    def result(self) -> PabulibFile:
        costs = {pid: parse_number(cells["cost"], "cost", None)
                 for pid, cells in self.projects.items()}
        grouped = Counter(self.keys) if self.grouped is None else self.grouped  # first seen
        if self.vote_type in CARDINAL_VOTE_TYPES:
            ballots = [(dict(key), n) for key, n in grouped.items()]
        else:
            ballots = list(grouped.items())
        election = Election(costs=costs, budget=self.budget, ballots=ballots,
                            vote_type=self.vote_type)
        warnings = []
        votes = sum(grouped.values())
        for key, actual in (("num_votes", votes), ("num_projects", len(costs))):
            if key in self.meta and self.meta[key] != str(actual):
                warnings.append(f"META says {key}={self.meta[key]} but the file has {actual}")
        return PabulibFile(self.meta, self.projects, election, warnings)


def read_pabulib(source: str | os.PathLike | TextIO,
                 limits: ReadLimits = ReadLimits()) -> PabulibFile:
    """Read a .pb file from a path or a text stream. Raises PabulibError (never a partial
    result); OSError if the path cannot be opened."""
    if isinstance(source, (str, os.PathLike)):
        size = os.path.getsize(source)
        if limits.max_bytes is not None and size > limits.max_bytes:
            raise PabulibError(f"the file has {size:,} bytes, more than the limit of "
                               f"{limits.max_bytes:,}")
        with open(source, "rb") as stream:
            data = stream.read()
        # Decoded a line at a time up to VOTES (so a line that is not UTF-8 is named, and a
        # UTF-8 BOM is dropped with the first cell), then the VOTES rows at once.
        return _read(io.BytesIO(data), limits.max_line_chars, data=data)
    return _read(source, limits.max_line_chars)


def read_pabulib_text(text: str) -> PabulibFile:
    return _read(io.StringIO(text, newline=""), None, "")


def _read(stream: TextIO | BinaryIO, max_line_chars: int | None,
          newline: str | None = None, data: bytes | None = None) -> PabulibFile:
    # A large file makes a hundred thousand objects, none in a reference cycle: the
    # collector's passes over them as they are made cost as much as making them. One pass
    # over the young ones at the end settles what they owe; without it the next allocation
    # anywhere (the first tally's, 0.05-0.17 ms on a small file) would pay it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Reader(stream, max_line_chars, newline, data).read()
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)
