"""One envelope of a stored tally run as a Pabulib `.pb` file (https://pabulib.org/format).

The election comes from the run's stored `input` (what was tallied), never from the live
tables. Ballots are anonymised at every export: one row per ballot, in a fresh random order
(unrelated to the order ballots were cast or stored), with fresh random voter ids, and no date.

META carries the standard keys, with `rule` in Pabulib's vocabulary (`unknown` for rules
Pabulib has no name for), and in `comment` what a recount needs (budget.domain.recount):
`engine_rule` (our rule name), `fingerprint` (the envelope's), `run_fingerprint`,
`engine_version` and `tie_order` (comma-separated project ids, best first). So, with
`facts = recount.decode(meta)`:

    envelope_fingerprint(facts["engine_rule"], pb.election, facts["tie_order"].split(","))

gives back `facts["fingerprint"]`. The file passes pabulib-checker as it is.
PROJECTS are in the order a ranking rule examines them (most votes first, or most points for
cumulative ballots, then the tie order), which is also how pabulib-checker verifies a greedy
selection. Cumulative ballots are written with their `points` column, and META carries the
cycle's `max_sum_points` (and `max_points`).

An imported envelope gives its file's facts back: META starts from the file's own (dates,
instance, edition, language, currency, description, unit, district...; `rule`, `comment`,
the counts and `fully_funded` are the run's), and PROJECTS carry each project's own columns
(full name, category, target, latitude/longitude...), `selected` being the run's. A project
with a location has latitude/longitude columns.
"""
from __future__ import annotations

import csv
import io
import random
import secrets
import unicodedata
from datetime import datetime, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import select

from budget.domain import recount
from budget.domain.fingerprint import election_from_canonical
from budget.domain.pabulib import write_pabulib
from budget.domain.tally.declared import DECLARED
from budget.domain.tally.model import Election
from budget.extensions import db
from budget.models import Proposal
from budget.services.exports.report import EnvelopeReport, RunReport

# Our rule name -> Pabulib's (the inverse of what `declared` reads).
PABULIB_RULES = {ours: theirs for theirs, ours in DECLARED.items()
                 if ours != "greedy-threshold"}  # Pabulib's needs a threshold we do not use
LOCAL_TIME = ZoneInfo("Europe/Paris")
# An imported file's META keys that describe the run or the ballot box, which the export
# writes from the run itself (the writer fills the counts, the budget and the vote type), and
# the city's rule parameter, which no run of the platform uses (pabulib-checker refuses a
# threshold beside a rule without one).
RUN_META_KEYS = frozenset({"num_projects", "num_votes", "budget", "rule",
                           "comment", "fully_funded", "max_sum_points", "max_points",
                           "min_project_score_threshold"})


def _local_date(instant: datetime) -> str:
    """A naive UTC instant as the French calendar date Pabulib wants: DD.MM.YYYY."""
    return instant.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME).strftime("%d.%m.%Y")


def _one_line(text: str) -> str:
    """Titles as single-line cells without edge spaces (pabulib-checker refuses those)."""
    return " ".join(text.split())


def _file_cell(text: str) -> str:
    """An imported file's cell as it was, on one line and without edge spaces (what
    pabulib-checker asks), its inner spacing kept (no-break spaces included)."""
    return " ".join(text.replace("\r", "\n").split("\n")).strip()


def shuffled_ballots(election: Election, rng: random.Random) -> Election:
    """The same election with one entry per voter, in a random order."""
    ballots = [(ballot, 1) for ballot, count in election.ballots for _ in range(count)]
    rng.shuffle(ballots)
    return Election(costs=election.costs, budget=election.budget, ballots=ballots,
                    vote_type=election.vote_type)


def _scores(envelope: EnvelopeReport, election: Election) -> dict[str, Fraction]:
    """What greedy ranks by: each project's votes, or its total points on cumulative ballots."""
    if election.vote_type != "cumulative":
        return {p.tally_id: p.votes for p in envelope.projects}
    points: dict[str, Fraction] = {}
    for ballot, count in election.ballots:
        for pid, given in ballot.items():
            points[pid] = points.get(pid, 0) + given * count
    return points


def _examination_order(envelope: EnvelopeReport, election: Election) -> list[str]:
    score = _scores(envelope, election)
    rank = {pid: i for i, pid in enumerate(envelope.tie_order)}
    return sorted(envelope.input["costs"], key=lambda pid: (-score.get(pid, 0),
                                                            rank.get(pid, len(rank)), pid))


def _platform_meta(report: RunReport, envelope: EnvelopeReport) -> dict[str, str]:
    """What the platform knows of a vote held on it: territory, year, dates, language."""
    cycle = report.cycle
    where = (f"commune de {envelope.label}" if envelope.commune_id is not None
             else "enveloppe intercommunale")
    meta = {
        "description": _one_line(f"Budget participatif « {cycle.title} », {where}, "
                                 f"{report.territory}"),
        "country": "France",
        "unit": _one_line(report.territory),
    }
    if envelope.commune_id is not None:
        meta["district"] = _one_line(envelope.label)
    meta["instance"] = str(cycle.vote_start.year)
    if cycle.dates_known:
        meta.update(date_begin=_local_date(cycle.vote_start),
                    date_end=_local_date(cycle.vote_end))
    meta.update(language="fr", currency="EUR")
    return meta


def _source_meta(report: RunReport, envelope: EnvelopeReport) -> dict[str, str] | None:
    """The imported file's META (None for an envelope of a vote held here)."""
    stored = next((e for e in report.cycle.envelopes if e.id == envelope.id), None)
    if stored is None or not stored.source_meta:
        return None
    meta = {key: _file_cell(str(value)) for key, value in stored.source_meta.items()
            if key not in RUN_META_KEYS}
    # choose-1 is approval with one choice: the writer keeps that name, else writes the
    # election's own vote type.
    meta["vote_type"] = "choose-1" if meta.get("vote_type") == "choose-1" else ""
    return meta


def _meta(report: RunReport, envelope: EnvelopeReport) -> dict[str, str]:
    cycle, run = report.cycle, report.run
    facts = _source_meta(report, envelope) or _platform_meta(report, envelope)
    # Pabulib's key order: the file's (or ours) around the run's own keys.
    meta = {key: value for key, value in facts.items()
            if key not in ("date_begin", "date_end", "language", "currency", "vote_type")}
    meta.update({
        # Placeholders that keep Pabulib's key order; the writer fills them from the election.
        "num_projects": "", "num_votes": "", "budget": "",
        "vote_type": facts.get("vote_type", ""),
        "rule": PABULIB_RULES.get(run.rule, "unknown"),
        **{key: facts[key] for key in ("date_begin", "date_end") if key in facts},
        **_points_meta(_vote_format(cycle, envelope.commune_id)),
        **{key: facts[key] for key in ("language", "currency") if key in facts},
    })
    if sum(envelope.input["costs"].values()) <= Fraction(envelope.input["budget"]):
        meta["fully_funded"] = "1"
    meta["comment"] = recount.encode({
        "engine_rule": run.rule, "fingerprint": envelope.fingerprint,
        "run_fingerprint": run.fingerprint, "engine_version": report.engine,
        "envelope_id": str(envelope.id),
        "run_envelopes": ",".join(str(e.id) for e in report.envelopes),
        "tie_order": ",".join(envelope.tie_order)})
    return meta


def _project_columns(envelope: EnvelopeReport) -> dict[str, dict[str, str]]:
    """Tally id -> the project's own columns: an imported project's file columns, or a
    location."""
    proposals = db.session.scalars(select(Proposal).where(
        Proposal.id.in_([p.id for p in envelope.projects])))
    columns = {}
    for proposal in proposals:
        cells = {key: _file_cell(str(value))
                 for key, value in (proposal.source_columns or {}).items()}
        if proposal.latitude is not None and "latitude" not in cells:
            cells.update(latitude=repr(proposal.latitude), longitude=repr(proposal.longitude))
        columns[proposal.tally_id] = cells
    return columns


def _vote_format(cycle, commune_id: int | None):
    """The vote format of the cycle's envelope of this commune (None: the intercommunal)."""
    return cycle.format_for(next(e for e in cycle.envelopes if e.commune_id == commune_id))


def _points_meta(vote_format) -> dict[str, str]:
    """Pabulib's keys for a cumulative ballot's limits (none for the other formats)."""
    if not vote_format.takes_points:
        return {}
    limits = {"max_sum_points": str(vote_format.total_points)}
    if vote_format.max_per_project is not None:
        limits = {"max_points": str(vote_format.max_per_project), **limits}
    return limits


def _random_voter_ids(text: str) -> str:
    """Replace the writer's voter numbers (1..n, in file order) with fresh random ids."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    start = next(i for i, row in enumerate(rows) if row and row[0].strip().lower() == "votes")
    used: set[str] = set()
    for row in rows[start + 2:]:
        voter_id = secrets.token_hex(8)
        while voter_id in used:
            voter_id = secrets.token_hex(8)
        used.add(voter_id)
        row[0] = voter_id
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


def render_pb(report: RunReport, envelope_id: int, rng: random.Random | None = None) -> bytes:
    """The `.pb` file of one envelope of the report's run, UTF-8. Raises KeyError if the run
    has no such envelope. rng: only for tests; by default the system's random source."""
    envelope = next((e for e in report.envelopes if e.id == envelope_id), None)
    if envelope is None:
        raise KeyError(envelope_id)
    stored = election_from_canonical(envelope.input)
    order = _examination_order(envelope, stored)
    election = Election(costs={pid: stored.costs[pid] for pid in order}, budget=stored.budget,
                        ballots=stored.ballots, vote_type=stored.vote_type)
    election = shuffled_ballots(election, rng or random.SystemRandom())
    titles = {p.tally_id: p for p in envelope.projects}
    own = _project_columns(envelope)
    projects = {pid: {"name": _one_line(titles[pid].title) if pid in titles else pid,
                      **own.get(pid, {}),
                      "selected": "1" if pid in titles and titles[pid].selected else "0"}
                for pid in order}
    out = io.StringIO(newline="")
    write_pabulib(out, election, _meta(report, envelope), projects)
    return _random_voter_ids(out.getvalue()).encode()


def pb_filename(report: RunReport, envelope_id: int) -> str:
    """`resultats-cycle-3-enveloppe-17369-saint-martin-de-re.pb` (ASCII; the INSEE code keeps
    names unique; '-apercu' for a preview)."""
    envelope = next(e for e in report.envelopes if e.id == envelope_id)
    name = ("intercommunale" if envelope.commune_id is None
            else "-".join(filter(None, [envelope.insee_code, slug(envelope.label)])))
    preview = "-apercu" if report.preview else ""
    return f"resultats-cycle-{report.cycle.id}-enveloppe-{name}{preview}.pb"


def slug(text: str) -> str:
    """'Saint-Martin-de-Ré' -> 'saint-martin-de-re'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words) or "commune"
