"""Importing real Pabulib elections (https://pabulib.org) as one new cycle, so that the platform
can replay, explain and export them (`flask budget import-pb`). One transaction writes:

- an intercommunalité named after the files' META unit, with a synthetic, clearly non-official
  SIREN (`PB` + 7 digits), and one synthetic commune per file (`PB001`.. `PB999`: at most 999
  imported files per database), named after the file's META unit / district / subunit,
  population 0 (unknown);
- one cycle in its COUNTING phase (every date past, nothing published), vote format `approval`
  (`cumulative` for cumulative files), with one envelope per file (amount = the file's budget).
  The vote runs from the files' first date_begin to their last date_end (Paris time); when a
  file gives no days (many give a year only), the dates are placeholders a day or two ago and
  the cycle's `source` says `dates_known: false`, so that pages say "dates unknown";
- each file's META on its envelope (`source_meta`), and each project's own columns on its
  proposal (`source_columns`, with its latitude/longitude when valid): exports write them back;
- each file's projects as proposals on the ballot, in file order (final cost = the file's cost,
  title = its `name` or its id, its other columns in the description), all written by one
  placeholder author (IMPORT_AUTHOR_EMAIL) that cannot sign in, since a proposal needs one;
- each VOTES row as a ballot of the file's commune, channel "import", with a random id and a
  random receipt hash that no receipt code hashes to;
- with `--intercommunal FILE`: that file's projects in the cycle's intercommunal envelope (no
  commune of its own), and each of its voters' choices in the ballot of the same voter_id in a
  commune file (services/import_intercommunal.py): one ballot per voter, as on the platform.

Imported elections have no voter list: no `participations` row is written. Amounts are whole
units of the file's currency (noted in the cycle's description): a fractional budget is rounded
down with a warning, a fractional or zero cost is refused. Vote types: approval, choose-1 and
cumulative (whole points only).

A cumulative file's 0-point entries are kept as 0-point selections. The platform counts a
supporter as a ballot giving points > 0 (results' `votes`, turnout in an envelope), but the
tally gives the engine each ballot as recorded, as pabutools reads the file (it counts a 0-point
entry as support under Cost_Sat): so the imported cycle tallies to the file's own outcome and
fingerprint, and its export gives the file's ballots back. Online ballots never record 0.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.numbers import whole_number
from budget.domain.proposals import Status
from budget.extensions import begin_write_transaction, db
from budget.models import (BudgetCycle, Commune, Envelope,
                           Intercommunality, Proposal, Role, User)
from budget.models.time import utcnow
from budget.services import audit
from budget.services.accounts import hash_password
from budget.services.bulk_ballots import analyze, write_ballots
from budget.services.import_plan import CheckedFile, ImportPlan, ImportRefused, cut
from budget.services.policy import SYSTEM_OPERATOR
from budget.services.transaction import unit_of_work

# Columns the platform recomputes (or keeps elsewhere): not copied into the description.
COMPUTED_COLUMNS = frozenset({"project_id", "cost", "votes", "score", "selected"})
# Columns the tally or the export recompute: not kept in a proposal's source_columns. (An
# approval file's `score` is the city's own ranking column, kept; `selected` is the city's
# outcome, kept as the file says, while the export writes the platform's run.)
RECOMPUTED_COLUMNS = frozenset({"project_id", "cost", "votes"})
LOCAL_TIME = ZoneInfo("Europe/Paris")
IMPORT_AUTHOR_EMAIL = "pabulib-import@budget.invalid"
SYNTHETIC_PREFIX = "PB"
MAX_COMMUNE_NUMBER = 999  # PB001 .. PB999: INSEE codes have 5 characters
DAYS_AGO = (4, 3, 2, 1)  # proposals, review, vote start, vote end: all past, so COUNTING


@dataclass
class ImportReport:
    cycle_id: int
    projects: int
    ballots: int


def import_elections(plan: ImportPlan,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
    """Write the plan as one new cycle, in one transaction committed at the end.

    progress(n) is called after every chunk of n ballots written. Raises ImportRefused when the
    synthetic commune codes run out or the database refuses a row (a concurrent import took
    the same codes: run it again); on any error nothing is kept.
    """
    try:
        with unit_of_work():
            begin_write_transaction()
            epci, communes = _territory(plan)
            cycle = _cycle(epci, plan)
            author_id = _import_author_id()
            shared = (_write_envelope(plan.intercommunal, cycle, None, author_id)
                      if plan.intercommunal else {})
            projects = len(shared)
            for index, (checked, commune) in enumerate(zip(plan.files, communes)):
                ids = _write_envelope(checked, cycle, commune, author_id)
                projects += len(ids)
                if plan.merged is None:
                    _write_ballots(checked, cycle.id, commune.id, ids, progress)
                else:  # each voter's commune and intercommunal choices as one ballot
                    write_ballots(((sorted([(ids[pid], None) for pid in mine]
                                           + [(shared[pid], None) for pid in theirs]), count)
                                   for (mine, theirs), count in plan.merged[index].items()),
                                  cycle.id, commune.id, "import", progress)
            cycle.sealed_ballots = plan.ballots  # written sealed (services/bulk_ballots.py)
            audit.record(SYSTEM_OPERATOR, "cycle.import", cycle, after={
                "files": _file_names(plan), "title": plan.title,
                "rule": plan.rule, "projects": projects, "ballots": plan.ballots})
    except IntegrityError as error:  # e.g. a concurrent import took the same synthetic codes
        raise ImportRefused(f"the database refused the import ({error.orig})") from error
    with unit_of_work():
        analyze()
    return ImportReport(cycle.id, projects, plan.ballots)


def _all_files(plan: ImportPlan) -> list[CheckedFile]:
    return [*plan.files, *([plan.intercommunal] if plan.intercommunal else [])]


def _file_names(plan: ImportPlan) -> list[str]:
    return [Path(checked.name).name for checked in _all_files(plan)]


def _next_number(column) -> int:
    """1 + the highest number used after the synthetic prefix in this code column."""
    codes = db.session.scalars(select(column).where(column.like(f"{SYNTHETIC_PREFIX}%")))
    numbers = [number for code in codes
               if (number := whole_number(code[len(SYNTHETIC_PREFIX):])) is not None]
    return max(numbers, default=0) + 1


def _commune_name(checked: CheckedFile) -> str:
    """From META unit, district, subunit (without repeats), else the file's name."""
    parts = [checked.pabulib.meta.get(key, "") for key in ("unit", "district", "subunit")]
    parts = list(dict.fromkeys(part for part in parts if part))
    return cut(" – ".join(parts) or Path(checked.name).stem, 200)


def _territory(plan: ImportPlan) -> tuple[Intercommunality, list[Commune]]:
    first = _next_number(Commune.insee_code)
    if first + len(plan.files) - 1 > MAX_COMMUNE_NUMBER:
        raise ImportRefused(f"no synthetic commune code left for {len(plan.files)} file(s): "
                            f"{SYNTHETIC_PREFIX}{MAX_COMMUNE_NUMBER} is the last one")
    siren = f"{SYNTHETIC_PREFIX}{_next_number(Intercommunality.siren):07d}"
    units = dict.fromkeys(f.pabulib.meta["unit"] for f in plan.files if f.pabulib.meta.get("unit"))
    name = f"{', '.join(units) or plan.title} (Pabulib import {siren})"
    epci = Intercommunality(siren=siren, name=cut(name, 200))
    communes = [Commune(intercommunality=epci, name=_commune_name(checked), population=None,
                        insee_code=f"{SYNTHETIC_PREFIX}{first + n:03d}")
                for n, checked in enumerate(plan.files)]
    db.session.add_all([epci, *communes])
    return epci, communes


def _file_summary(checked: CheckedFile) -> str:
    """One line of the cycle's description: where the file's election comes from."""
    meta = checked.pabulib.meta
    about = ", ".join(meta[key] for key in ("description", "instance") if meta.get(key))
    dates = "–".join(meta[key] for key in ("date_begin", "date_end") if meta.get(key))
    return (f"- {checked.name}: {about or 'no description'}{f' ({dates})' if dates else ''}; "
            f"META rule {meta.get('rule', '?')}, budget {meta['budget']} "
            f"{meta.get('currency', '')}, {len(checked.pabulib.projects)} projects, "
            f"{checked.pabulib.election.voter_count} ballots.")


def _utc(day: date, at: time) -> datetime:
    """A Paris wall-clock time as the naive UTC instant the database stores."""
    local = datetime.combine(day, at, tzinfo=LOCAL_TIME)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _schedule(plan: ImportPlan) -> tuple[list[datetime], bool]:
    """(proposals, review, vote start, vote end) and whether they are the files' own dates:
    the vote from the first day's midnight to the last day's 23:59 (Paris), the two phases
    before it a day apart; else placeholders in the past that only make the phase COUNTING."""
    if plan.dates is not None:
        begin, end = plan.dates
        start = _utc(begin, time(0, 0))
        return [start - timedelta(days=2), start - timedelta(days=1), start,
                _utc(end, time(23, 59))], True
    now = utcnow().replace(microsecond=0)
    return [now - timedelta(days=d) for d in DAYS_AGO], False


def _cycle(epci: Intercommunality, plan: ImportPlan) -> BudgetCycle:
    (proposals, review, vote_start, vote_end), dates_known = _schedule(plan)
    description = "\n".join([
        "Imported from Pabulib (https://pabulib.org) to replay real elections; not a vote held "
        "on this platform. No voter list: ballots only. Amounts are in each file's currency.",
        *(_file_summary(checked) for checked in _all_files(plan))])
    cycle = BudgetCycle(intercommunality=epci, title=plan.title, description=description,
                        proposals_start=proposals, review_start=review, vote_start=vote_start,
                        vote_end=vote_end, vote_format=plan.vote_format,
                        vote_params=plan.vote_params,
                        tally_rule=plan.rule,
                        source={"kind": "pabulib", "dates_known": dates_known,
                                "files": _file_names(plan)})
    db.session.add(cycle)
    return cycle


def _import_author_id() -> int:
    """The placeholder author of imported projects; nobody knows its password."""
    user_id = db.session.scalar(select(User.id).where(User.email == IMPORT_AUTHOR_EMAIL))
    if user_id is None:
        user = User(email=IMPORT_AUTHOR_EMAIL, display_name="Pabulib import", role=Role.CITIZEN,
                    password_hash=hash_password(secrets.token_urlsafe(32)))
        db.session.add(user)
        db.session.flush()
        user_id = user.id
    return user_id


def _project_description(file_name: str, pid: str, cells: dict[str, str]) -> str:
    """Where it comes from, then the file's own columns (a long name, cut in the title, too)."""
    short_name = len(cells.get("name", "")) <= Proposal.title.type.length
    lines = [f"Imported from {file_name}, project {pid}."]
    lines += [f"{key}: {value}" for key, value in cells.items()
              if key not in COMPUTED_COLUMNS and not (key == "name" and short_name)]
    return "\n".join(lines)


def _location(cells: dict[str, str]) -> tuple[float | None, float | None]:
    """The file's latitude/longitude when both are numbers in range, else (None, None)."""
    try:
        latitude, longitude = float(cells["latitude"]), float(cells["longitude"])
    except (KeyError, ValueError):
        return None, None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None, None


def _source_columns(checked: CheckedFile, cells: dict[str, str]) -> dict[str, str]:
    """The project's own columns, minus those the tally recomputes (the points' score too)."""
    recomputed = RECOMPUTED_COLUMNS | ({"score"} if checked.vote_format == "cumulative"
                                       else set())
    return {key: value for key, value in cells.items() if key not in recomputed}


def _write_projects(checked: CheckedFile, envelope: Envelope, author_id: int) -> dict[str, int]:
    """Proposals on the ballot, in file order; returns file project id -> proposal id."""
    costs = checked.pabulib.election.costs
    proposals = {pid: Proposal(
        cycle_id=envelope.cycle_id, envelope_id=envelope.id, author_id=author_id,
        title=cut(cells.get("name") or pid, Proposal.title.type.length),
        description=_project_description(checked.name, pid, cells),
        estimated_cost=costs[pid], final_cost=costs[pid], status=Status.ON_BALLOT,
        external_id=pid, source_columns=_source_columns(checked, cells),
        latitude=_location(cells)[0], longitude=_location(cells)[1])
        for pid, cells in checked.pabulib.projects.items()}
    db.session.add_all(proposals.values())
    db.session.flush()
    return {pid: proposal.id for pid, proposal in proposals.items()}


def _write_envelope(checked: CheckedFile, cycle: BudgetCycle, commune: Commune | None,
                    author_id: int) -> dict[str, int]:
    """The file's envelope (intercommunal when `commune` is None) and its projects; returns
    file project id -> proposal id."""
    envelope = Envelope(cycle=cycle, commune=commune, amount=checked.budget,
                        source_meta=dict(checked.pabulib.meta))
    db.session.add(envelope)
    db.session.flush()
    return _write_projects(checked, envelope, author_id)


def _write_ballots(checked: CheckedFile, cycle_id: int, commune_id: int, ids: dict[str, int],
                   progress: Callable[[int], None] | None) -> None:
    cumulative = checked.vote_format == "cumulative"
    ballots = ((sorted((ids[pid], int(ballot[pid]) if cumulative else None) for pid in ballot),
                count) for ballot, count in checked.pabulib.election.ballots)
    write_ballots(ballots, cycle_id, commune_id, "import", progress)
