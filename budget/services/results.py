"""Reading a stored tally run: the summary a results page shows, and the CSV export."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from budget.models import BudgetCycle, TallyRun


@dataclass(frozen=True)
class CommuneTurnout:
    name: str
    insee_code: str
    population: int
    ballots: int


@dataclass(frozen=True)
class Summary:
    envelopes: list[dict]
    winners: list[dict]  # every winning project of the intercommunality, with its envelope
    amount: int
    spent: int
    ballots: int
    population: int
    turnout: list[CommuneTurnout]


def summarize(cycle: BudgetCycle, run: TallyRun) -> Summary:
    result = run.result
    envelopes = result["envelopes"]
    winners = [dict(project, envelope=envelope) for envelope in envelopes
               for project in envelope["projects"] if project["selected"]]
    by_commune = result["ballots_by_commune"]
    turnout = [CommuneTurnout(c.name, c.insee_code, c.population, by_commune.get(str(c.id), 0))
               for c in cycle.intercommunality.communes]
    return Summary(
        envelopes=envelopes, winners=winners,
        amount=sum(e["amount"] for e in envelopes), spent=sum(e["spent"] for e in envelopes),
        ballots=result["ballots"], population=sum(t.population for t in turnout),
        turnout=turnout)


CSV_COLUMNS = ["enveloppe", "code_insee", "projet_id", "titre", "cout_eur", "voix", "retenu",
               "rang_selection", "regle", "empreinte"]


def spreadsheet_safe(text: str) -> str:
    """Residents write project titles: never let a spreadsheet read one as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(cycle: BudgetCycle, run: TallyRun) -> str:
    """Semicolon-separated with a BOM: what a French spreadsheet opens correctly."""
    communes = {c.id: c for c in cycle.intercommunality.communes}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for envelope in run.result["envelopes"]:
        commune = communes.get(envelope["commune_id"])
        for project in envelope["projects"]:
            writer.writerow([
                commune.name if commune else "Intercommunale",
                commune.insee_code if commune else "",
                project["id"], spreadsheet_safe(project["title"]), project["cost"], project["votes"],
                "oui" if project["selected"] else "non", project["selection_rank"] or "",
                run.rule, run.fingerprint,
            ])
    return out.getvalue()
