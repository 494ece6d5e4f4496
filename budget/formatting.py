"""Money, numbers and counts as the current locale writes them, on pages, PDF, XLSX and emails.

French: "300 652 €", "7 260", grouped with narrow no-break spaces (U+202F) and a no-break space
(U+00A0) before the euro sign, as Babel's CLDR data has it: the same characters as the ballot
page's live total (Intl.NumberFormat in static/ballot.js), and an amount never breaks across
lines. English: "€300,652", "7,260". Every amount or count a person reads goes through
`euros`, `number` or `plural`; machine-readable exports (CSV, open data JSON, .pb files) keep
raw numbers.
"""
from __future__ import annotations

from flask_babel import (format_currency, format_decimal, format_percent, get_locale,
                         get_translations)


def euros(amount, cents: bool = False) -> str:
    """300652 -> '300 652 €' in French, '€300,652' in English; with `cents`, 151.37 ->
    '151,37 €' / '€151.37'. Whole euros are rounded half to even."""
    pattern = get_locale().currency_formats["standard"].pattern  # "#,##0.00 ¤", "¤#,##0.00"
    if not cents:
        pattern = pattern.replace(".00", "")
    return format_currency(amount, "EUR", format=pattern, currency_digits=False)


def euros_cents(amount) -> str:
    """Shares of a budget, to the cent: 151.37 -> '151,37 €'."""
    return euros(amount, cents=True)


def number(value) -> str:
    """7260 -> '7 260' in French, '7,260' in English; decimals kept for a float (12.5 ->
    '12,5')."""
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.###")
    return format_decimal(value, format="#,##0")


def percent(part, whole) -> str:
    """part / whole to a tenth: '12,5 %' in French (a no-break space), '12.5%' in English;
    0 when whole is 0."""
    pattern = get_locale().percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    return format_percent(part / whole if whole else 0, format=pattern)


def punctuation(mark: str) -> str:
    """A mark written after a template's own text: in French, ':', ';', '!', '?' take a
    narrow no-break space before them ("droits ;"); English writes them close up."""
    if mark in ":;!?" and get_locale().language == "fr":
        return "\u202f" + mark
    return mark


def plural(singular: str, plural_: str, num: int, **variables) -> str:
    """ngettext (the form for `num` in the current language), with `%(num)d` written by
    `number`: '7 260 bulletins'. The same as templates' ngettext (see `count_ngettext`)."""
    variables.setdefault("num", number(num))
    text = get_translations().ungettext(singular, plural_, num)
    return text.replace("%(num)d", "%(num)s") % variables


def count_ngettext(singular: str, plural_: str, num: int) -> str:
    """Templates' ngettext: the translated form with its count already written by `number`;
    Jinja then fills the other variables."""
    return get_translations().ungettext(singular, plural_, num).replace(
        "%(num)d", number(num))
