"""The rows of a CSV file that staff upload (census lists, territories), each with the number of
the line it starts on.

Lines may end with LF, CRLF or a lone CR (spreadsheets for Mac still write those). A line
longer than MAX_LINE_CHARS or holding a NUL character (a binary file, or UTF-16 read as
Windows-1252) stops the reading, and so does whatever the csv module cannot read (a quoted
cell never closed, running over the rest of the file): a DomainError naming the line, never
another exception.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from budget.domain.errors import DomainError

MAX_LINE_CHARS = 2_000  # a census or DGCL line has well under 200


def delimiter_of(text: str) -> str:
    """`;` (French spreadsheets) unless the first line has more commas than semicolons."""
    first = io.StringIO(text, newline="").readline()
    return ";" if first.count(";") >= first.count(",") else ","


def rows(text: str, delimiter: str,
         max_line_chars: int = MAX_LINE_CHARS) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row of `text`, the first line being 1; a blank line gives
    no cells. Raises DomainError (field "file", params line and max) at the first line that
    cannot be read."""
    reader = csv.reader(_checked_lines(text, max_line_chars), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise DomainError("Line %(line)d: this line cannot be read as CSV (a quotation "
                              "mark opened and never closed?).", field="file",
                              line=start) from None
        yield start, cells
        start = reader.line_num + 1


def _checked_lines(text: str, max_line_chars: int) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line.rstrip("\r\n")) > max_line_chars:
            raise DomainError("Line %(line)d: the line is longer than %(max)d characters.",
                              field="file", line=number, max=max_line_chars)
        if "\x00" in line:
            raise DomainError("Line %(line)d: the line contains a NUL character (is the file "
                              "really a CSV text file?).", field="file", line=number)
        yield line
