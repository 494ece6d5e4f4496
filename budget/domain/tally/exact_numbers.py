"""The numbers of an election (costs, the budget, scores, points) as exact ints or Fractions,
checked: prepare() and the rules that take numbers of their own read them through here."""
from __future__ import annotations

from fractions import Fraction

from .model import InvalidElection


def exact_number(value, what: str):
    """`value` as an int or a Fraction; raises InvalidElection naming `what` when it is not a
    number or is negative."""
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        try:
            value = Fraction(value)
        except (TypeError, ValueError):
            raise InvalidElection(f"{what} is not a number: {value!r}") from None
    if value < 0:
        raise InvalidElection(f"{what} is negative: {value}")
    return value


def exact_point(value) -> int | Fraction:
    """Points as exact numbers (negative ones are kept: the rules decide what they mean)."""
    if type(value) is not int:
        try:
            value = Fraction(value)
        except (TypeError, ValueError):
            raise InvalidElection(f"points are not a number: {value!r}") from None
        if value.denominator == 1:
            value = value.numerator
    return value
