"""The lines of a Pabulib file, for pabulib.py's reader: checked_lines (limits, NUL, UTF-8),
and fast_votes, which reads the VOTES section of an approval or ordinal file without the csv
module.

A large file is almost all VOTES rows (Warszawa 2026: 61,668 of 61,775 lines), and the csv
module's rows plus a dict of stripped cells per row cost ten times the rule itself. A plain
row (no quote, so `;` splits it as csv does; ids exactly as the projects give them) only needs
its voter and its vote: fast_votes takes those two cells and nothing else. In the common file
(every voter id ASCII digits and listed once, every id a project's) the compiled core's
vote_cells (tally/vote_cells.c) reads the rows' bytes in one pass and returns each distinct
ballot with its count, without a Python object per row. Otherwise the rows are split in Python:
every row that is not plain goes through the reader's own row handling (which names its
error), and a section that is not plain throughout (a quote, a carriage return not before
"\\n", a NUL, a line over the limit) is read by the csv module: the result is the reader's,
row for row.
"""
from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from itertools import repeat
from typing import BinaryIO, Iterator, TextIO

try:
    from .tally import _mescore     # vote_cells: the VOTES rows in one compiled pass
except ImportError:                 # pragma: no cover (a pure-Python install)
    _mescore = None


class PabulibError(ValueError):
    """A malformed file. `line` is the 1-based line number (None when it is about the end)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


def checked_lines(stream: TextIO | BinaryIO, max_chars: int | None,
                  number: int = 0) -> Iterator[str]:
    """The stream's lines, refused past max_chars without reading further, or with a NUL.
    A binary stream is decoded line by line, so that a line that is not UTF-8 is named.
    number: the line before the stream's first (its errors name the file's lines)."""
    binary = isinstance(stream, (io.RawIOBase, io.BufferedIOBase))
    # Room for "\r\n", and for 4 bytes per character when reading bytes.
    most = max_chars * (4 if binary else 1) + 2 if max_chars else -1
    while True:
        line = stream.readline(most)
        if not line:
            return
        number += 1
        if binary:
            if len(line) == most and not line.endswith(b"\n"):
                raise PabulibError(f"the line is longer than {max_chars:,} characters", number)
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise PabulibError("the file is not UTF-8 text", number) from None
        if max_chars and len(line.rstrip("\r\n")) > max_chars:
            raise PabulibError(f"the line is longer than {max_chars:,} characters", number)
        if "\x00" in line:
            raise PabulibError("the line contains a NUL character (a binary file?)", number)
        yield line


def fast_votes(reader, line: int):
    """Read the rest of reader.stream (an io.StringIO made with reader.newline, or an io.BytesIO
    over reader.data), the rows of an approval or ordinal VOTES section whose header is on
    `line`. Returns (None, the last line) when done, or (the rest's rows as the csv module reads
    them, line) for the reader to go on."""
    if reader.data is None:
        rest, newline = reader.stream.read(), reader.newline
        try:
            data, start = rest.encode(), 0
        except UnicodeEncodeError:      # a lone surrogate: the Python pass below
            data = start = None
    else:
        rest, newline, data, start = None, "\n", reader.data, reader.stream.tell()
    counted = None if data is None else compiled_votes(reader, data, start)
    if counted is not None:
        reader.grouped, newlines = counted
        return None, line + newlines + 1
    if rest is None:
        try:
            rest = data[start:].decode("utf-8")
        except UnicodeDecodeError:
            rest = None
        if rest is None or "\x00" in rest:     # read as bytes, to name the line
            rows = csv.reader(checked_lines(reader.stream, reader.max_line_chars, line),
                              delimiter=";")
            return reader.numbered_rows(rows, line), line
    return _split_votes(reader, rest, newline, line)


def compiled_votes(reader, data: bytes, start: int) -> tuple[dict, int] | None:
    """_mescore.vote_cells over data[start:] (the rows after the VOTES header): (each distinct
    ballot -> its count, the number of "\\n"), or None when the rows are not plain or the core
    is not built."""
    header, ids = reader.header, reader.ids
    if (_mescore is None or len(set(header)) < len(header)
            or any(pid.lower() == "none" for pid in ids)):      # a "none" vote is no vote
        return None
    voter_at = header.index("voter_id") if "voter_id" in header else 0
    longest = min(reader.max_line_chars or sys.maxsize, csv.field_size_limit())
    return _mescore.vote_cells(data, start, ids, len(header), voter_at, header.index("vote"),
                               reader.vote_type == "ordinal", longest)


def _split_votes(reader, rest: str, newline: str, line: int):
    """fast_votes in Python: the VOTES rows `rest` (text) split with str.split."""
    header, ids = reader.header, reader.ids
    lines = rest.replace("\r\n", "\n").split("\n")
    longest = max(map(len, lines))
    if ('"' in rest or rest.count("\r") != rest.count("\r\n") or "\x00" in rest
            or longest > min(reader.max_line_chars or longest, csv.field_size_limit())
            or len(set(header)) < len(header)
            or any(pid.lower() == "none" for pid in ids)):   # a "none" vote is no vote
        stream = io.StringIO(rest, newline=newline)
        rows = csv.reader(checked_lines(stream, reader.max_line_chars, line), delimiter=";")
        return reader.numbered_rows(rows, line), line
    width, vote_at = len(header), header.index("vote")
    named = "voter_id" in header
    voter_at = header.index("voter_id") if named else 0
    if _whole_columns(reader, lines, width, voter_at, vote_at):
        return None, line + len(lines)
    needed = max(vote_at, voter_at)
    get, first_line, keys = ids.get, reader.voter_lines.setdefault, reader.keys
    # the reader's ballot keys: the set of ids (approval), or them in order without repeats
    ballot = frozenset if reader.vote_type == "approval" else _ordinal
    sections = {"meta", "projects", "votes"}
    known: dict[str, frozenset | tuple] = {}    # each vote cell seen -> its key (one object)
    for number, text in enumerate(lines, line + 1):
        cells = text.split(";", needed + 1)     # the cells up to the voter's and the vote
        if len(cells) <= needed:                # (so all of them): a blank or short row
            _other_row(reader, number, text)
            continue
        vote = cells[vote_at]
        key = known.get(vote)
        if key is None:
            key = ballot(map(get, vote.split(",")))
            if None not in key:
                known[vote] = key
        first = cells[0]
        digits = first.isdigit()
        if (None in key or text.count(";") >= width
                or (not digits and first.strip().lower() in sections)):
            _other_row(reader, number, text)
            continue
        voter = cells[voter_at]
        if not (digits if voter_at == 0 else voter.isdigit()):
            voter = voter.strip()
            if named and voter.lower() == "none":
                voter = ""
        if voter and first_line(voter, number) != number:
            reader.take(number, text.split(";"))    # raises: the voter is listed twice
        keys.append(key)
    return None, line + len(lines)


def _whole_columns(reader, lines: list[str], width: int, voter_at: int, vote_at: int) -> bool:
    """The common file, read a column at a time: every row has all its cells, every voter id
    is digits and listed once, every vote cell names known projects exactly. Then the row loop
    below would take each row as it is, and this gives the reader what that loop gives
    (`reader.grouped`: each ballot key and its count, in first-seen order), with a handful of
    passes over whole lists instead of a dozen Python steps a row. Anything else (a short,
    long or blank row, another voter id, a repeat, an unknown id): False, having changed
    nothing, and the loop reads the rows, naming the first problem."""
    if lines and lines[-1] == "":
        lines = lines[:-1]                      # the file's last newline
    if not lines or width < 2 or list(map(str.count, lines, repeat(";"))).count(
            width - 1) != len(lines):
        return False
    cells = ";".join(lines).split(";")
    voters = cells[voter_at::width]
    if not (all(map(str.isdigit, voters)) and all(map(str.isdigit, cells[0::width]))
            and len(set(voters)) == len(voters)):
        return False
    get = reader.ids.get
    ballot = frozenset if reader.vote_type == "approval" else _ordinal
    grouped: dict = {}
    for vote, count in Counter(cells[vote_at::width]).items():
        key = ballot(map(get, vote.split(",")))
        if None in key:
            return False
        grouped[key] = grouped.get(key, 0) + count
    reader.grouped = grouped
    return True


def _other_row(reader, number: int, text: str) -> None:
    """A row that is not plain: skipped when blank, else the reader's checks and errors."""
    cells = text.split(";")
    if len(cells) > 1 or cells[0].strip():
        reader.take(number, cells)


def _ordinal(ids) -> tuple:
    return tuple(dict.fromkeys(ids))
