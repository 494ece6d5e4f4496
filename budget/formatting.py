"""Money and shares written for the reader's locale (French first): for pages, emails and
exports alike. Below the services and the templates, which both use it."""
from __future__ import annotations

from flask_babel import format_decimal, gettext


def euros(amount) -> str:
    """1234567 -> '1 234 567 €' in French (narrow no-break spaces), '€1,234,567' in English."""
    return gettext("%(amount)s EUR", amount=format_decimal(amount, format="#,##0"))


def euros_cents(amount) -> str:
    """Shares of a budget, to the cent: 151.37 -> '151,37 €'."""
    return gettext("%(amount)s EUR", amount=format_decimal(amount, format="#,##0.00"))


def percent(part, whole) -> str:
    return format_decimal(part / whole if whole else 0, format="#,##0.0 %")
