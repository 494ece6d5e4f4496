"""CSV files that people open in a spreadsheet: no cell may be read as a formula.

Titles, commune and EPCI names (from a territory CSV or a Pabulib file's unit/district) come
from outside; a cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return, which
some spreadsheets skip first) would run as a formula, `=HYPERLINK(...)` a live link. The
writer here passes every text cell through `safe_cell`, so no caller can forget one.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

# The ASCII triggers, their full-width forms (some spreadsheets fold them), tab and CR.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """`value`, with a quote prefix when it is text a spreadsheet would read as a formula;
    numbers and None pass unchanged (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer for spreadsheets: every text cell goes through safe_cell."""

    def __init__(self, target, **format_params):
        self._writer = csv.writer(target, **format_params)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
