"""The similar funded projects elsewhere, shown beside a proposal's form (to its author) and
its review (to staff, next to the cost estimate): templates/catalogue/_similar.html."""
from __future__ import annotations

from dataclasses import dataclass

from budget.blueprints.catalogue.wording import similar_summary
from budget.services import catalogue


@dataclass(frozen=True)
class Panel:
    summary: str
    rows: list


def similar_panel(form=None, proposal=None) -> Panel | None:
    """The similar funded projects elsewhere, for a text being written (`form`) or a proposal
    under review; None when there is nothing to compare yet or nothing found."""
    if proposal is not None:
        found = catalogue.similar(proposal.title, proposal.description, proposal)
    elif form is not None and form.title.data:
        found = catalogue.similar(form.title.data, form.description.data or "")
    else:
        return None
    return Panel(similar_summary(found), found.rows) if found.rows else None
