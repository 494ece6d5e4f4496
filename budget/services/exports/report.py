"""What every export says about a stored tally run, gathered once, as plain data.

Everything comes from `TallyRun.result` (what was tallied and decided) plus the cycle's
territory (names, INSEE codes, populations): never from the live proposal or ballot tables, so
an export made today says what the run said the day it ran. Nothing here names a voter.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from budget.models import BudgetCycle, TallyRun
from budget.formatting import euros, euros_cents, plural


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
                detail = plural("its only supporter paid it (%(price)s) from their equal share",
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


@dataclass(frozen=True)
class EnvelopeReport:
    id: int
    label: str  # the commune's name, or "Intercommunal envelope" translated
    commune_id: int | None
    insee_code: str | None
    amount: int
    spent: int
    voters: int
    fingerprint: str
    tie_order: list[str]  # project ids as strings, best first
    projects: list[ProjectLine]  # most votes first, as stored
    input: dict  # the engine's stored input (canonical election + tie order)

    @property
    def winners(self) -> list[ProjectLine]:
        return sorted((p for p in self.projects if p.selected),
                      key=lambda p: (p.selection_rank or 0, p.id))


@dataclass(frozen=True)
class CommuneTurnout:
    id: int
    name: str
    insee_code: str
    population: int | None  # None: unknown
    ballots: int
    paper: int = 0  # of `ballots`, those cast on paper
    blank: int = 0  # blank and spoiled paper ballots: not in `ballots`, never tallied
    spoiled: int = 0

    @property
    def turnout(self) -> float | None:
        """Ballots per inhabitant, 0..1 (0 for an empty commune); None: population unknown."""
        if self.population is None:
            return None
        return self.ballots / self.population if self.population else 0.0


@dataclass(frozen=True)
class RunReport:
    cycle: BudgetCycle
    run: TallyRun
    preview: bool  # True: the run is not published (staff and council preview)
    territory: str
    siren: str
    communes: list[CommuneTurnout]
    envelopes: list[EnvelopeReport]
    ballots: int

    @property
    def amount(self) -> int:
        return sum(e.amount for e in self.envelopes)

    @property
    def spent(self) -> int:
        return sum(e.spent for e in self.envelopes)

    @property
    def population(self) -> int | None:
        """The territory's population; None when a commune's is unknown."""
        populations = [c.population for c in self.communes]
        return None if None in populations else sum(populations)

    @property
    def winners(self) -> list[tuple[EnvelopeReport, ProjectLine]]:
        """Every funded project of the intercommunality, envelope by envelope."""
        return [(e, p) for e in self.envelopes for p in e.winners]


def project_line(row: dict) -> ProjectLine:
    """A stored result row (results JSON) as a ProjectLine."""
    why = row.get("explanation") or {}
    remaining = row.get("remaining_before", why.get("remaining_before"))
    return ProjectLine(
        id=row["id"], title=row["title"], cost=row["cost"], votes=row["votes"],
        selected=bool(row["selected"]), selection_rank=row.get("selection_rank"),
        status=row.get("status"), remaining_before=remaining, explanation=why,
        tally_id=row.get("external_id") or str(row["id"]))


def _paper_counts(paper: dict, commune_id: int) -> tuple[int, int, int]:
    counts = paper.get(str(commune_id), {})
    return counts.get("ballots", 0), counts.get("blank", 0), counts.get("spoiled", 0)


def build(cycle: BudgetCycle, run: TallyRun, preview: bool | None = None) -> RunReport:
    """The report of `run` (a run of `cycle`). preview defaults to "not published"."""
    result = run.result
    communes = {c.id: c for c in cycle.intercommunality.communes}
    by_commune = result.get("ballots_by_commune", {})
    envelopes = []
    for row in result["envelopes"]:
        commune = communes.get(row["commune_id"])
        if row["commune_id"] is None:
            label = gettext("Intercommunal envelope")
        else:
            label = row.get("name") or (commune.name if commune else str(row["commune_id"]))
        envelopes.append(EnvelopeReport(
            id=row["id"], label=label, commune_id=row["commune_id"],
            insee_code=commune.insee_code if commune else None, amount=row["amount"],
            spent=row["spent"], voters=row["voters"], fingerprint=row["fingerprint"],
            tie_order=list(row["input"]["tie_order"]),
            projects=[project_line(p) for p in row["projects"]], input=row["input"]))
    paper = result.get("paper_by_commune", {})
    turnout = [CommuneTurnout(c.id, c.name, c.insee_code, c.population,
                              by_commune.get(str(c.id), 0), *_paper_counts(paper, c.id))
               for c in communes.values()]
    return RunReport(
        cycle=cycle, run=run, preview=run.published_at is None if preview is None else preview,
        territory=cycle.intercommunality.name, siren=cycle.intercommunality.siren,
        communes=turnout, envelopes=envelopes, ballots=result["ballots"])
