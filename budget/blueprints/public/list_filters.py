"""The public list's filters, read from the URL (`?q=velo&theme=3&sort=newest`): a GET form
that works without JavaScript, whose address can be shared and bookmarked.

`filters_from` turns the query string into services.finding.Filters and names what it could
not read: the web page ignores those (the list is shown unfiltered on that point), the API
answers 400 naming the parameter.
"""
from __future__ import annotations

import re
import secrets

from flask import session
from werkzeug.datastructures import MultiDict

from budget.domain.numbers import whole_number
from budget.domain.proposals import MAX_COST, Status
from budget.services.finding import DEFAULT_SORT, SORTS, WON, Filters

MAX_QUERY = 200  # characters of a search kept; the rest is ignored
_SPACES_AND_EURO = re.compile(r"[\s\u00a0\u202f€]")  # "15 000 €" is 15000


def filters_from(args: MultiDict, statuses, commune_ids, theme_ids) -> tuple[Filters, list[str]]:
    """The filters `args` ask for, and the names of the parameters it could not read: a
    commune or theme not of the cycle, a status not among `statuses` (finding.status_choices:
    Status values, and WON once the results are published), a cost that is not a whole
    number of euros, an unknown sort."""
    wrong = []

    def number(name, allowed=None, maximum=None):
        text = _SPACES_AND_EURO.sub("", args.get(name) or "")
        if not text:
            return None
        value = whole_number(text)
        if value is None or (allowed is not None and value not in allowed) or (
                maximum is not None and value > maximum):
            wrong.append(name)
            return None
        return value

    status = None
    if args.get("status"):
        try:
            status = Status(args["status"])
        except ValueError:
            status = WON if args["status"] == WON else None
        if status not in statuses:
            wrong.append("status")
            status = None
    sort = args.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        wrong.append("sort")
        sort = DEFAULT_SORT
    filters = Filters(
        query=(args.get("q") or "")[:MAX_QUERY], commune_id=number("commune", commune_ids),
        theme_id=number("theme", theme_ids), status=status,
        cost_min=number("cost_min", maximum=MAX_COST),
        cost_max=number("cost_max", maximum=MAX_COST), sort=sort)
    return filters, wrong


# Each visitor's order is one of this many, drawn at their first list and kept in their
# session: enough that no project is first for more than a sixteenth of the visitors on
# average, few enough that the cycle page of each order is rendered once and kept while the
# list cannot change (public/cycle_cache.py).
SHARED_ORDERS = 16


def visitor_seed() -> int:
    """The visitor's own random order of lists: drawn once, kept in their session."""
    seed = session.get("list_seed")
    if not isinstance(seed, int):
        seed = session["list_seed"] = secrets.randbelow(SHARED_ORDERS) + 1
    return seed
