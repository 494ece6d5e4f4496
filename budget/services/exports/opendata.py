"""The results as open data: one JSON document, schema `docs/opendata-schema-v1.json`,
described in `docs/opendata.md`.

Language-neutral on purpose: codes (`greedy`, `funded`), numbers, ISO dates; no translated
text except the names people gave (territory, communes, projects). Aggregates only: counts
per project and per commune, never a ballot or anything about a voter (the anonymous ballots
of an envelope are in its Pabulib export), supports counted, never their authors.
"""
from __future__ import annotations

import json
from datetime import datetime

from flask import current_app

from budget.services import evaluation_read
from budget.services.exports.report import AdoptionLine, EnvelopeReport, RunReport
from budget.services.tracking_read import announced_dates

# 1.1 added `adoptions`, 1.2 `tracking`, 1.3 each project's `themes` and `supports`, and the
# tracking stage `merged` with its target, 1.4 each commune's `online_ballots` and
# `kiosk_ballots` (each optional in the schema: an older document stays valid, and readers of
# an older version ignore them).
SCHEMA_VERSION = "1.4"


def _instant(value: datetime | None) -> str | None:
    """Naive UTC (how the database stores instants) as ISO 8601 with a Z."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _share(part: int, whole: int | None) -> float | None:
    """part / whole to 4 decimals; None when the whole (a population) is unknown, 0 when 0."""
    if whole is None:
        return None
    return round(part / whole, 4) if whole else 0


def _envelope(envelope: EnvelopeReport, report: RunReport) -> dict:
    # The tie order is in tally ids (an imported project's file id, text); published as the
    # projects' `id`s, which is what the rest of the document uses.
    proposal_id = {p.tally_id: p.id for p in envelope.projects}
    return {
        "id": envelope.id,
        "kind": "intercommunal" if envelope.commune_id is None else "commune",
        "commune_insee_code": envelope.insee_code,
        "name": envelope.label if envelope.commune_id is not None else None,
        "amount_eur": envelope.amount,
        "spent_eur": envelope.spent,
        "ballots": envelope.voters,
        "fingerprint": envelope.fingerprint,
        "tie_order": [proposal_id[pid] for pid in envelope.tie_order if pid in proposal_id],
        "projects": [{
            "id": p.id, "external_id": p.tally_id if p.tally_id != str(p.id) else None,
            "title": p.title, "cost_eur": p.cost, "votes": p.votes,
            "selected": p.selected, "selection_rank": p.selection_rank, "outcome": p.outcome,
            "remaining_before_eur": p.remaining_before if p.outcome == "did_not_fit" else None,
            "themes": [{"id": theme_id, "name": name}
                       for theme_id, name in report.themes.get(p.id, [])],
            # How many residents supported it (never who); null: no supports phase.
            "supports": (report.supports.get(p.id, 0) if report.supports is not None
                         else None),
        } for p in envelope.projects],
    }


def _adoption(line: AdoptionLine) -> dict:
    return {"id": line.id, "body": line.body, "commune_insee_code": line.commune_insee_code,
            "session_date": line.session_date.isoformat(),
            "deliberation_number": line.deliberation_number, "outcome": line.outcome,
            "deliberation_pdf": line.has_pdf}


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _evaluation(record, indicators, texts) -> dict | None:
    """Residents' evaluation of a delivered winner (services/evaluation_read.py: counts under
    5 are null) and the staff's text; None when it is not delivered."""
    found = indicators.projects.get(record.id)
    if found is None:
        return None
    return {"answers": found.answers, "using_share": found.using_share,
            "mean_usefulness": found.mean_usefulness, "evaluated": found.evaluated,
            "text": texts.get(record.id)}


def _tracking(record, evaluation: dict | None = None) -> dict:
    """A winner's delivery (models/tracking.py): codes, whole euros and dates; the text staff
    wrote (the reason for abandoning, milestones) as written; its `evaluation` (_evaluation),
    once delivered (the key is absent before)."""
    return {"project_id": record.proposal_id, "stage": record.stage.value,
            "progress": record.progress, "voted_eur": record.amount_voted_eur,
            "committed_eur": record.committed_eur, "spent_eur": record.spent_eur,
            "planned_delivery": _day(record.planned_delivery),
            "planned_delivery_history": [_day(d) for d in announced_dates(record)],
            "delivered_on": _day(record.delivered_on),
            "abandon_reason": record.abandon_reason or None,
            "merged_into_project_id": (record.merged_into.proposal_id
                                       if record.merged_into is not None else None),
            "milestones": [{"date": _day(m.happened_on), "text": m.text}
                           for m in record.milestones],
            **({"evaluation": evaluation} if evaluation is not None else {})}


def as_document(report: RunReport) -> dict:
    """The open-data document of a run, as plain JSON data."""
    cycle, run = report.cycle, report.run
    return {
        "schema_version": SCHEMA_VERSION,
        # Optional (no version bump: readers ignore it): what another installation needs to
        # import the file into its catalogue (services/catalogue_import.py).
        "publisher": {"url": current_app.config.get("PUBLIC_URL") or "",
                      "licence": current_app.config["OPENDATA_LICENCE"]},
        "status": "preview" if report.preview else "published",
        "cycle": {
            "id": cycle.id, "title": cycle.title,
            "vote_start": _instant(cycle.vote_start) if cycle.dates_known else None,
            "vote_end": _instant(cycle.vote_end) if cycle.dates_known else None,
            "vote_format": cycle.vote_format, "dates_known": cycle.dates_known,
            **({"source": {"kind": cycle.source["kind"], "files": cycle.source["files"]}}
               if cycle.is_imported else {}),
        },
        "territory": {
            "name": report.territory, "siren": report.siren,
            "population": report.population,
            "communes": [{"insee_code": c.insee_code, "name": c.name,
                          "population": c.population, "ballots": c.ballots,
                          "turnout": _share(c.ballots, c.population),
                          "online_ballots": c.online, "kiosk_ballots": c.kiosk,
                          "paper_ballots": c.paper,
                          "blank_paper_ballots": c.blank,
                          "spoiled_paper_ballots": c.spoiled} for c in report.communes],
        },
        "tally": {
            "run_id": run.id, "rule": run.rule, "tie_break": report.tie_break,
            "engine_version": report.engine,
            "fingerprint": run.fingerprint,
            "computed_at": _instant(run.created_at), "published_at": _instant(run.published_at),
        },
        "totals": {
            "ballots": report.ballots,
            "turnout": _share(report.ballots, report.population),
            "amount_eur": report.amount, "spent_eur": report.spent,
            "projects": sum(len(e.projects) for e in report.envelopes),
            "winning_projects": len(report.winners),
        },
        "envelopes": [_envelope(e, report) for e in report.envelopes],
        "adoptions": [_adoption(a) for a in report.adoptions],
        "tracking": _trackings(report.tracking),
    }


def _trackings(records) -> list[dict]:
    ids = [record.id for record in records]
    indicators, texts = evaluation_read.evaluation_indicators(ids), evaluation_read.texts(ids)
    return [_tracking(record, _evaluation(record, indicators, texts)) for record in records]


def render_json(report: RunReport) -> bytes:
    """The document as UTF-8 JSON bytes (readable: indented, accents kept)."""
    return json.dumps(as_document(report), ensure_ascii=False, indent=2).encode() + b"\n"
