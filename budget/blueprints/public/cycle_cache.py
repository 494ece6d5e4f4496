"""The cycle page for anonymous visitors, kept in each app process while it cannot change.

From the vote on (VOTE, COUNTING, RESULTS) the list is the ballot: nobody may add, edit or
review a proposal (services/policy.py), and the phase only moves at the vote's end or at
publication. The page an anonymous visitor gets then depends only on the cycle, the language,
their list order (one of SHARED_ORDERS, public/list_filters.py) and the query string (filters,
sort, page): it is rendered once per such key and kept PAGE_MEMO_SECONDS (30 s), never past
the vote's end. What may still move meanwhile shows within those seconds: a publication (the
phase badge), another cycle's phase in the list of other cycles, a proposal's title corrected
by staff.

Not kept: a signed-in person's page (their name, "you have voted"), a page with a message
waiting (a flash shows once), and every page before the vote (proposals come and go, supports
are counted live). Each process keeps its own copies (at most MAX_KEPT, then it starts
over); the visitor's session cookie makes these responses private, so nginx keeps none.
"""
from __future__ import annotations

import time
from datetime import datetime

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from budget.blueprints.public.list_filters import visitor_seed
from budget.domain.phases import Phase
from budget.models.time import utcnow

FROZEN = (Phase.VOTE, Phase.COUNTING, Phase.RESULTS)
MAX_KEPT = 2000
_kept: dict[tuple, tuple[float, str]] = {}


def page_key(cycle_id: int) -> tuple | None:
    """The key of this request's page, or None when it is not one to keep."""
    if (not current_app.config["PAGE_MEMO_SECONDS"] or current_user.is_authenticated
            or "_flashes" in session):
        return None
    return cycle_id, str(get_locale()), visitor_seed(), request.full_path


def kept(key: tuple | None) -> str | None:
    found = _kept.get(key) if key is not None else None
    if found is None or found[0] <= time.monotonic():
        return None
    return found[1]


def keep(key: tuple | None, phase: Phase, vote_end: datetime, page: str) -> None:
    if key is None or phase not in FROZEN:
        return
    seconds = current_app.config["PAGE_MEMO_SECONDS"]
    if phase is Phase.VOTE:
        seconds = min(seconds, (vote_end - utcnow()).total_seconds())
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = (time.monotonic() + seconds, page)
