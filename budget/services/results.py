"""Reading a stored tally run: the summary a results page shows, and the CSV export."""
from __future__ import annotations

import io
from dataclasses import dataclass

from budget.domain.receipts import receipt_hash
from budget.domain.spreadsheet_csv import SafeWriter
from budget.models import BudgetCycle, Proposal, TallyRun
from budget.services import ballot_box, stored_result
from budget.services.stored_result import EnvelopeResult, ProjectLine


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's turnout and fairness figures."""

    name: str
    insee_code: str
    population: int | None  # None: unknown (an imported election)
    ballots: int
    satisfied: int  # ballots with at least one funded project
    population_share: float | None  # of the intercommunalité's population; None: unknown
    money_share: float | None  # of the money funded in commune envelopes; None: no envelope
    paper: int = 0  # of `ballots`, those cast on paper
    blank: int = 0  # blank and spoiled paper ballots: not in `ballots`, never tallied
    spoiled: int = 0
    kiosk: int = 0  # of `ballots`, those cast at a kiosk (0 in runs older than kiosks)

    @property
    def online(self) -> int:
        return self.ballots - self.paper - self.kiosk


@dataclass(frozen=True)
class Summary:
    envelopes: list[EnvelopeResult]
    winners: list[tuple[EnvelopeResult, ProjectLine]]  # every winning project, by envelope
    amount: int
    spent: int
    ballots: int
    tie_break: str
    by_channel: dict[str, int]
    satisfied: int
    population: int | None  # None: a commune's population is unknown
    communes: list[CommuneFigures]


def summarize(cycle: BudgetCycle, run: TallyRun) -> Summary:
    result = stored_result.read(run.result)
    envelopes = result.envelopes
    communes = cycle.intercommunality.communes
    populations = [c.population for c in communes]
    population = None if None in populations else sum(populations)
    spent_by_commune = {e.commune_id: e.spent for e in envelopes if e.commune_id}
    commune_money = sum(spent_by_commune.values())
    no_paper = stored_result.PaperCounts()
    figures = [CommuneFigures(
        name=c.name, insee_code=c.insee_code, population=c.population,
        ballots=result.ballots_by_commune.get(c.id, 0),
        satisfied=result.satisfied_by_commune.get(c.id, 0),
        population_share=None if population is None
        else c.population / population if population else 0,
        money_share=(spent_by_commune[c.id] / commune_money if commune_money else 0)
        if c.id in spent_by_commune else None,
        paper=result.paper_by_commune.get(c.id, no_paper).ballots,
        blank=result.paper_by_commune.get(c.id, no_paper).blank,
        spoiled=result.paper_by_commune.get(c.id, no_paper).spoiled,
        kiosk=result.kiosk_by_commune.get(c.id, 0)) for c in communes]
    return Summary(
        envelopes=envelopes,
        winners=[(e, p) for e in envelopes for p in e.projects if p.selected],
        amount=sum(e.amount for e in envelopes), spent=sum(e.spent for e in envelopes),
        ballots=result.ballots, tie_break=result.tie_break, by_channel=result.ballots_by_channel,
        satisfied=result.satisfied, population=population, communes=figures)


def ballot_by_receipt(cycle: BudgetCycle, code: str) -> set[int] | None:
    """The project ids of the ballot with this receipt code in `cycle`, or None."""
    return ballot_box.projects_of_receipt(cycle, receipt_hash(code))


CSV_COLUMNS = ["enveloppe", "code_insee", "projet_id", "titre", "cout_eur", "voix", "retenu",
               "rang_selection", "explication", "regle", "empreinte"]


def as_csv(cycle: BudgetCycle, run: TallyRun) -> str:
    """Semicolon-separated with a BOM: what a French spreadsheet opens correctly."""
    communes = {c.id: c for c in cycle.intercommunality.communes}
    out = io.StringIO()
    out.write("\ufeff")
    writer = SafeWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for envelope in stored_result.read(run.result).envelopes:
        commune = communes.get(envelope.commune_id)
        for project in envelope.projects:
            writer.writerow([
                commune.name if commune else "Intercommunale",
                commune.insee_code if commune else "",
                project.id, project.title, project.cost,
                project.votes,
                "oui" if project.selected else "non", project.selection_rank or "",
                project.outcome_text(),
                run.rule, run.fingerprint,
            ])
    return out.getvalue()


@dataclass(frozen=True)
class VoteOutcome:
    """How the published vote decided one project: its envelope and its line (votes, points,
    outcome and the rule's explanation, stored_result.ProjectLine)."""

    envelope: EnvelopeResult
    line: ProjectLine


def outcome_of(proposal: Proposal) -> VoteOutcome | None:
    """The published result for `proposal`; None before publication or when it was not on
    the ballot."""
    run = proposal.cycle.published_run
    if run is None:
        return None
    for envelope in stored_result.read(run.result).envelopes:
        line = envelope.project(proposal.id)
        if line is not None:
            return VoteOutcome(envelope, line)
    return None
