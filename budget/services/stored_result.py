"""The one reader of a stored tally result (`TallyRun.result`, written by tally_result.py).

Pages, exports and the API read a run through here, never by key; see `read`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, ngettext

from budget.formatting import euros, euros_cents


@dataclass(frozen=True)
class ProjectLine:
    """One project of an envelope, as the run decided it. Money in whole euros."""

    id: int
    title: str
    cost: int
    votes: int
    selected: bool
    selection_rank: int | None
    status: str | None  # what a greedy rule saw: "selected", "skipped", ... (None: other rules)
    remaining_before: int | float | None  # euros left when a greedy step reached it (cents
    # possible after Equal Shares)
    explanation: dict  # the stored why (kind, supporters, price, available...), may be {}
    tally_id: str  # the project's id in the tally input and in .pb files

    @property
    def kind(self) -> str:
        """The explanation's kind (`greedy-skipped`, `mes-short`...; see
        budget/domain/explanations.py), or the older runs' short greedy status."""
        return self.explanation.get("kind") or (f"greedy-{self.status}" if self.status else "")

    @property
    def outcome(self) -> str:
        """'funded', 'did_not_fit' (its turn came but the money left was less than its cost)
        or 'not_funded'."""
        if self.selected:
            return "funded"
        if self.kind in ("greedy-skipped", "completion-skipped") \
                and self.remaining_before is not None:
            return "did_not_fit"
        return "not_funded"

    def outcome_text(self) -> str:
        """The outcome in a sentence, in the current locale: the results page's wording
        (templates/results/_outcome.html), so both say the same thing."""
        why, kind = self.explanation, self.kind
        if self.selected:
            if kind == "mes-funded":
                detail = ngettext("its only supporter paid it (%(price)s) from their equal share",
                                  "its %(num)d supporters paid it from their equal shares, "
                                  "at most %(price)s each", why["supporters"],
                                  price=euros_cents(why["price"]))
            elif kind == "welfare-funded":
                detail = gettext("in the combination of projects that fits in the envelope and "
                                 "satisfies voters the most")
            elif kind == "completion-selected":
                detail = gettext("with the money Equal Shares left unspent, in order of votes")
            elif self.selection_rank:
                detail = gettext("funded in position %(rank)d", rank=self.selection_rank)
            else:
                return gettext("Funded")
            return f"{gettext('Funded')} — {detail}"
        if self.outcome == "did_not_fit":
            return gettext("Not funded: it did not fit (%(left)s left when its turn came, "
                           "it costs %(cost)s).", left=euros(self.remaining_before),
                           cost=euros(self.cost))
        if kind == "mes-short":
            return gettext("Not funded: its supporters' remaining shares covered only "
                           "%(available)s of its %(cost)s.",
                           available=euros_cents(why["available"]), cost=euros(self.cost))
        if kind == "greedy-not-reached":
            return gettext("Not funded: the rule stopped at a project that did not fit.")
        if kind == "phragmen-stopped":
            return gettext("Not funded: its turn came with only %(left)s left for its "
                           "%(cost)s, and the rule stops there.",
                           left=euros_cents(why["money_left"]), cost=euros(self.cost))
        if kind == "phragmen-not-reached":
            return gettext("Not funded: the rule stopped before its turn.")
        if kind == "welfare-left-out":
            return gettext("Not funded: it is not in the combination of projects that fits "
                           "in the envelope and satisfies voters the most.")
        return gettext("Not funded")


def project_line(row: dict) -> ProjectLine:
    """A stored result row (results JSON) as a ProjectLine."""
    why = row.get("explanation") or {}
    remaining = row.get("remaining_before", why.get("remaining_before"))
    return ProjectLine(
        id=row["id"], title=row["title"], cost=row["cost"], votes=row["votes"],
        selected=bool(row["selected"]), selection_rank=row.get("selection_rank"),
        status=row.get("status"), remaining_before=remaining, explanation=why,
        tally_id=row.get("external_id") or str(row["id"]))
