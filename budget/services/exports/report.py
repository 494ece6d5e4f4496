"""What every export says about a stored tally run, gathered once, as plain data.

Everything comes from `TallyRun.result` (what was tallied and decided) plus the cycle's
territory (names, INSEE codes, populations): never from the live ballot tables, so an export
made today says what the run said the day it ran. Three things are read as of the export, and
said so where they are published: the winners' tracking, the projects' themes (staff may
rename a theme) and their support counts (fixed once the supports phase is over). Nothing here
names a voter nor a supporter.
"""
from __future__ import annotations

from dataclasses import astuple, dataclass, field
from datetime import date

from flask_babel import gettext

from budget.models import BudgetCycle, TallyRun
from budget.services import adoption, stored_result, supports, themes, tracking_read
from budget.services.stored_result import PaperCounts, ProjectLine
from budget.templating import council_name


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
    kiosk: int = 0  # of `ballots`, those cast at a kiosk (0 in runs older than kiosks)

    @property
    def online(self) -> int:
        return self.ballots - self.paper - self.kiosk

    @property
    def turnout(self) -> float | None:
        """Ballots per inhabitant, 0..1 (0 for an empty commune); None: population unknown."""
        if self.population is None:
            return None
        return self.ballots / self.population if self.population else 0.0


@dataclass(frozen=True)
class AdoptionLine:
    """A council's decision on the run (models/adoption.py), as the exports say it."""

    id: int
    body: str  # "community" or "municipal" (domain/adoption.py Body)
    council: str  # the council's name, translated
    commune_insee_code: str | None
    session_date: date
    deliberation_number: str
    outcome: str  # domain/adoption.py Outcome value
    has_pdf: bool


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
    tie_break: str  # the tie-break's id (TIE_BREAKS has its wording)
    engine: str  # the counting engine's version
    # The councils' decisions on a published run, by session (none for a preview).
    adoptions: list[AdoptionLine] = field(default_factory=list)
    # What became of the winners (services/tracking.py), for a published run.
    tracking: list = field(default_factory=list)
    # Project id -> its themes as (id, name), and -> its supports (None: the cycle had no
    # supports phase).
    themes: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    supports: dict[int, int] | None = None

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


def build(cycle: BudgetCycle, run: TallyRun, preview: bool | None = None) -> RunReport:
    """The report of `run` (a run of `cycle`). preview defaults to "not published"."""
    result = stored_result.read(run.result)
    communes = {c.id: c for c in cycle.intercommunality.communes}
    envelopes = []
    for row in result.envelopes:
        commune = communes.get(row.commune_id)
        if row.commune_id is None:
            label = gettext("Intercommunal envelope")
        else:
            label = row.name or (commune.name if commune else str(row.commune_id))
        envelopes.append(EnvelopeReport(
            id=row.id, label=label, commune_id=row.commune_id,
            insee_code=commune.insee_code if commune else None, amount=row.amount,
            spent=row.spent, voters=row.voters, fingerprint=row.fingerprint,
            tie_order=list(row.input["tie_order"]), projects=row.projects, input=row.input))
    preview = run.published_at is None if preview is None else preview
    adoptions = [] if preview else [AdoptionLine(
        a.id, a.body, council_name(a.commune), a.commune.insee_code if a.commune else None,
        a.session_date, a.deliberation_number, a.outcome, a.pdf_token is not None)
        for a in adoption.adoptions_of(run)]
    no_paper = PaperCounts()
    turnout = [CommuneTurnout(c.id, c.name, c.insee_code, c.population,
                              result.ballots_by_commune.get(c.id, 0),
                              *astuple(result.paper_by_commune.get(c.id, no_paper)),
                              kiosk=result.kiosk_by_commune.get(c.id, 0))
               for c in communes.values()]
    project_ids = [p.id for e in envelopes for p in e.projects]
    return RunReport(
        cycle=cycle, run=run, preview=preview, adoptions=adoptions,
        themes=themes.of_proposals(project_ids),
        supports=(supports.support_counts(project_ids) if cycle.supports_start is not None
                  else None),
        tracking=[] if preview else tracking_read.of_cycle(cycle),
        territory=cycle.intercommunality.name, siren=cycle.intercommunality.siren,
        communes=turnout, envelopes=envelopes, ballots=result.ballots,
        tie_break=result.tie_break, engine=result.engine)
