"""Whole numbers read from text that someone sent: ids, counts, points.

Every id and count column is an INTEGER, 32 bits on PostgreSQL (SQLite takes 64): a larger
number reaching a query is a database error. int() itself raises on more than 4,300 digits,
and str.isdigit() accepts characters int() refuses ("²"). `whole_number` is the one reading
of such text: it never raises and never returns what a column cannot hold.
"""
from __future__ import annotations

MAX_INT = 2**31 - 1  # PostgreSQL INTEGER, the type of every id and count column


def whole_number(value: object, maximum: int = MAX_INT) -> int | None:
    """The number from 0 to `maximum` that `value` is (an int) or spells in ASCII digits
    (surrounding spaces and leading zeros allowed), else None. Converts at most as many digits
    as `maximum` has."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if number <= maximum else None
