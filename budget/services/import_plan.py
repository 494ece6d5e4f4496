"""Reading and checking Pabulib files before an import (`flask budget import-pb`): every
file is read and checked before anything is written, so a malformed or unsupported file stops
the whole import. Plain data in and out; the writing is in services/importing.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from budget.domain.numbers import whole_number
from budget.domain.pabulib import PabulibError, PabulibFile, ReadLimits, read_pabulib
from budget.domain.tally import RULES, RuleNotApplicable
from budget.domain.tally.declared import declared_rule

SUPPORTED_VOTE_TYPES = ("approval", "choose-1", "cumulative")
# The platform's vote format for each Pabulib vote type it imports.
VOTE_FORMAT_OF = {"approval": "approval", "choose-1": "approval", "cumulative": "cumulative"}
TITLE_LENGTH = 200  # budget_cycles.title
EXTERNAL_ID_LENGTH = 64  # proposals.external_id
# Costs, budgets and points are INTEGER columns: 32 bits on PostgreSQL.
LARGEST_WHOLE_NUMBER = 2**31 - 1
REFUSAL_HINTS = {
    "scoring": "scored ballots need the points of each choice, which the platform does not store",
    "ordinal": "ranked ballots have no ballot format on the platform",
}


class ImportRefused(ValueError):
    """A file cannot be imported as it is; the message names the file (and the line, kept in
    `line` too, for a malformed file)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class CheckedFile:
    """A file read and checked: only the database can still fail on it."""

    name: str
    pabulib: PabulibFile
    budget: int  # whole units, rounded down
    rule: str  # our registry name for its META rule
    max_choices: int | None
    warnings: list[str] = field(default_factory=list)
    vote_format: str = "approval"  # our vote format (VOTE_FORMAT_OF)
    total_points: int | None = None  # cumulative: the points each voter had
    max_per_project: int | None = None  # cumulative: META max_points, if any
    dates: tuple[date, date] | None = None  # META date_begin, date_end as calendar days



@dataclass
class ImportPlan:
    """What one import will write: the files, the cycle's title, rule and vote parameters."""

    files: list[CheckedFile]
    title: str
    rule: str
    vote_params: dict
    warnings: list[str]
    vote_format: str = "approval"
    # An intercommunal file: its projects, the intercommunal envelope; its voters' choices
    # joined to their commune ballots, one Counter per commune file
    # (services/import_intercommunal.py).
    intercommunal: CheckedFile | None = None
    merged: list | None = None

    @property
    def ballots(self) -> int:
        return sum(f.pabulib.election.voter_count for f in self.files)

    @property
    def dates(self) -> tuple[date, date] | None:
        """The vote's first and last day over every file, or None when a file has none."""
        spans = [f.dates for f in self.files]
        if not spans or None in spans:
            return None
        return min(span[0] for span in spans), max(span[1] for span in spans)


def cut(text: str, length: int) -> str:
    """`text`, shortened with an ellipsis to at most `length` characters (column sizes)."""
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _platform_rule(name: str, meta: dict) -> tuple[str, list[str]]:
    """Our rule for the file's META `rule`, and what could not be kept of it."""
    declared = meta.get("rule", "")
    try:
        rule, params = declared_rule(meta)
    except RuleNotApplicable:
        return "greedy", [f"{name}: META rule {declared!r} is not one of ours; using greedy"]
    if not params:
        return rule, []
    kept = "greedy" if RULES[rule].needs_parameters else rule
    given = ", ".join(f"{key} {value}" for key, value in params.items())
    return kept, [f"{name}: META rule {declared!r} with {given} cannot be stored (a cycle has "
                  f"no rule parameters); using {kept}, the results may differ from the city's"]


def _max_choices(name: str, meta: dict) -> tuple[int | None, list[str]]:
    """META max_length (choose-1 means 1), or None: no limit."""
    text = meta.get("max_length", "")
    if number := whole_number(text):
        return number, []
    fallback = 1 if meta.get("vote_type") == "choose-1" else None
    if not text:
        return fallback, []
    return fallback, [f"{name}: META max_length {text!r} is not a positive whole number"]


def meta_day(text: str) -> date | None:
    """A META date (Pabulib writes DD.MM.YYYY; ISO YYYY-MM-DD is also read) as a day, or None
    for anything else (many files give only a year: that is not a day)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _dates(name: str, meta: dict, today: date) -> tuple[tuple[date, date] | None, list[str]]:
    """The vote's first and last day from META date_begin/date_end, when both are days in the
    past in order; else None (the dates are unknown) and why."""
    begin, end = meta_day(meta.get("date_begin", "")), meta_day(meta.get("date_end", ""))
    if begin is None or end is None:
        return None, []
    if begin > end:
        return None, [f"{name}: META date_begin {meta['date_begin']} is after date_end "
                      f"{meta['date_end']}; the dates are shown as unknown"]
    if end >= today:
        return None, [f"{name}: META date_end {meta['date_end']} is not in the past; the "
                      "dates are shown as unknown"]
    return (begin, end), []


def _positive_meta(meta: dict, key: str) -> int | None:
    text = meta.get(key, "").strip()
    return whole_number(text) or None


def _points_limits(name: str, pb: PabulibFile) -> tuple[int, int | None, list[str]]:
    """(total_points, max_per_project, warnings) of a cumulative file: META max_sum_points
    (else the largest ballot total) and META max_points. Raises ImportRefused for points that
    are not whole numbers: the platform stores whole points."""
    largest_total = largest_points = 0
    for ballot, _ in pb.election.ballots:
        if any(Fraction(points).denominator != 1 for points in ballot.values()):
            raise ImportRefused(f"{name}: a ballot gives a fraction of a point; the platform "
                                "stores whole points")
        largest_total = max(largest_total, int(sum(ballot.values())))
        largest_points = max([largest_points, *map(int, ballot.values())])
    if largest_total > LARGEST_WHOLE_NUMBER:
        raise ImportRefused(f"{name}: a ballot gives {largest_total} points, more than the "
                            f"platform stores ({LARGEST_WHOLE_NUMBER:,})")
    total = _positive_meta(pb.meta, "max_sum_points")
    warnings = []
    if total is None or total < largest_total:
        if total is not None:
            warnings.append(f"{name}: a ballot gives {largest_total} points, more than META "
                            f"max_sum_points {total}; each voter gets {largest_total}")
        total = max(largest_total, 1)
    per_project = _positive_meta(pb.meta, "max_points")
    if per_project is not None and (per_project < largest_points or per_project > total):
        warnings.append(f"{name}: META max_points {per_project} does not fit the ballots; "
                        "no limit per project")
        per_project = None
    if pb.meta.get("max_length") or pb.meta.get("min_length"):
        warnings.append(f"{name}: META min_length/max_length are not kept: the cumulative "
                        "format limits points, not the number of projects")
    return total, per_project, warnings


def check_file(path: str | Path, limits: ReadLimits = ReadLimits()) -> CheckedFile:
    """Read one file and check it can be imported. Raises ImportRefused (naming the file, and
    the line for a malformed file)."""
    name = Path(path).name
    try:
        pb = read_pabulib(path, limits)
    except PabulibError as error:
        raise ImportRefused(f"{name}: {error}", error.line) from None
    except OSError as error:
        raise ImportRefused(f"{name}: cannot be read ({error.strerror})") from None
    vote_type = pb.meta.get("vote_type", "")
    if vote_type not in SUPPORTED_VOTE_TYPES:
        supported = ", ".join(SUPPORTED_VOTE_TYPES)
        raise ImportRefused(f"{name}: vote_type {vote_type!r} cannot be imported (supported: "
                            f"{supported}); {REFUSAL_HINTS.get(vote_type, '')}")
    for pid, cost in pb.election.costs.items():
        if not isinstance(cost, int) or cost <= 0:
            raise ImportRefused(f"{name}: project {pid!r} costs {cost}; the platform needs a "
                                "whole, positive cost")
        if cost > LARGEST_WHOLE_NUMBER:
            raise ImportRefused(f"{name}: project {pid!r} costs {cost}, more than the platform "
                                f"stores ({LARGEST_WHOLE_NUMBER:,})")
        if len(pid) > EXTERNAL_ID_LENGTH:
            raise ImportRefused(f"{name}: a project id has {len(pid)} characters, more than "
                                f"{EXTERNAL_ID_LENGTH}: {cut(pid, 40)!r}")
    budget = math.floor(pb.election.budget)
    if not 0 < budget <= LARGEST_WHOLE_NUMBER:
        raise ImportRefused(f"{name}: the budget {cut(pb.meta['budget'], 40)} is not between "
                            f"1 and {LARGEST_WHOLE_NUMBER:,}")
    warnings = [f"{name}: {warning}" for warning in pb.warnings]
    if budget != pb.election.budget:
        warnings.append(f"{name}: budget {pb.meta['budget']} rounded down to {budget} (the "
                        "platform stores whole units)")
    rule, rule_warnings = _platform_rule(name, pb.meta)
    dates, date_warnings = _dates(name, pb.meta, date.today())
    checked = CheckedFile(name, pb, budget, rule, None,
                          warnings + rule_warnings + date_warnings,
                          vote_format=VOTE_FORMAT_OF[vote_type], dates=dates)
    if checked.vote_format == "cumulative":
        checked.total_points, checked.max_per_project, point_warnings = _points_limits(name, pb)
        checked.warnings += point_warnings
    else:
        checked.max_choices, choice_warnings = _max_choices(name, pb.meta)
        checked.warnings += choice_warnings
    return checked


def plan_import(paths: Sequence[str | Path], title: str | None = None,
                limits: ReadLimits = ReadLimits()) -> ImportPlan:
    """Read and check every file before anything is written. Raises ImportRefused for the first
    file that cannot be imported."""
    if not paths:
        raise ImportRefused("no file to import")
    files = [check_file(path, limits) for path in paths]
    warnings = [warning for f in files for warning in f.warnings]
    rules = sorted({f.rule for f in files})
    rule = rules[0] if len(rules) == 1 else "greedy"
    if len(rules) > 1:
        warnings.append(f"the files call for different rules ({', '.join(rules)}); the cycle "
                        "uses greedy")
    formats = sorted({f.vote_format for f in files})
    if len(formats) > 1:
        raise ImportRefused(f"the files have different vote formats ({', '.join(formats)}); "
                            "a cycle has one: import them separately")
    title = (title or "").strip() or "Pabulib: " + ", ".join(Path(p).stem for p in paths)
    return ImportPlan(files, cut(title, TITLE_LENGTH), rule, _vote_params(files), warnings,
                      vote_format=formats[0])


def _vote_params(files: list[CheckedFile]) -> dict:
    """One cycle's parameters for every file: the loosest limits, so no ballot breaks them."""
    if files[0].vote_format == "cumulative":
        per_project = [f.max_per_project for f in files]
        return {"total_points": max(f.total_points for f in files),
                "max_per_project": None if None in per_project else max(per_project)}
    limits = [f.max_choices for f in files]
    return {"min_choices": 0, "max_choices": None if None in limits else max(limits)}
