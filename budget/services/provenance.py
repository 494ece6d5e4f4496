"""Where an election's data comes from, in words: an imported election (`flask budget
import-pb`) says so on its pages and in its exports, with its dates or that they are unknown."""
from __future__ import annotations

from flask_babel import format_date, gettext

from budget.models import BudgetCycle


def currencies(cycle: BudgetCycle) -> list[str]:
    """The currencies of an imported cycle's files (META currency), as the files give them."""
    found = [(e.source_meta or {}).get("currency", "") for e in cycle.envelopes]
    return sorted(set(filter(None, found)))


def source_paragraph(cycle: BudgetCycle) -> str | None:
    """One sentence on an imported election's origin (None for a vote held on the platform)."""
    if not cycle.is_imported:
        return None
    text = gettext("This election was not held on this platform: its projects and anonymous "
                   "ballots were imported from public Pabulib files (pabulib.org: %(files)s) "
                   "to replay the count. It has no voter list and no receipt codes.",
                   files=", ".join(cycle.source.get("files", [])))
    money = currencies(cycle)
    if money and money != ["EUR"]:
        text += " " + gettext("Amounts are in the files' currency (%(currencies)s), not in "
                              "euros.", currencies=", ".join(money))
    return text


def vote_dates(cycle: BudgetCycle) -> str:
    """"Vote from 1 June 2024 to 4 July 2024." or, for an import without days, that the dates
    are unknown (the stored dates are then placeholders)."""
    if not cycle.dates_known:
        return gettext("Vote dates unknown (the imported files do not give them).")
    return gettext("Vote from %(start)s to %(end)s.", start=format_date(cycle.vote_start, "long"),
                   end=format_date(cycle.vote_end, "long"))
