"""Ids and counts read from requests, bounded to what a database column holds.

Every place a request names a number goes through here: the `<int:...>` URL converter,
WTForms' integer field and the `coerce=` of choice fields, and `request.args.get(type=...)`.
A number too large for the database (or for int()) is then a refused field or a page not
found, never a database error (tests/web/test_large_numbers.py, tests/properties).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError
from wtforms import IntegerField

from budget.domain.numbers import MAX_INT, whole_number


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in URLs, up to the largest id the database holds: a larger number (or a
    thousand digits) is a page not found."""

    def to_python(self, value: str) -> int:
        number = whole_number(value)
        if number is None:
            raise ValidationError()
        return number


def bounded_int(value) -> int:
    """A whole number from 0 to MAX_INT from form or query text; raises ValueError otherwise,
    which WTForms' `coerce=` turns into an invalid field and `request.args.get(type=)` into
    the default."""
    number = whole_number(value)
    if number is None:
        raise ValueError(value)
    return number


def optional_bounded_int(value) -> int | None:
    """bounded_int, or None for nothing chosen ("", None, "None")."""
    return None if value in (None, "", "None") else bounded_int(value)


class BoundedIntegerField(IntegerField):
    """IntegerField (negative numbers included, so that range checks can say what is wrong)
    that refuses a number an INTEGER column cannot hold."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > MAX_INT:
            self.data = None
            raise ValueError(_l("This number is too large."))
