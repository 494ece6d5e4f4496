"""Reading and checking Pabulib files before an import (`flask budget import-pb`): every
file is read and checked before anything is written, so a malformed or unsupported file stops
the whole import. Plain data in and out; the writing is in services/importing.py.
"""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from budget.domain.pabulib import PabulibError, PabulibFile, read_pabulib
from budget.domain.tally import RULES, RuleNotApplicable
from budget.domain.tally.declared import declared_rule

SUPPORTED_VOTE_TYPES = ("approval", "choose-1")
TITLE_LENGTH = 200  # budget_cycles.title
REFUSAL_HINTS = {
    "cumulative": "cumulative ballots need the points of each choice (a `points` column), which "
                  "the platform will store with the cumulative ballot format",
    "scoring": "scored ballots need the points of each choice, which the platform does not store",
    "ordinal": "ranked ballots have no ballot format on the platform",
}


class ImportRefused(ValueError):
    """A file cannot be imported as it is; the message names the file (and the line)."""


def rule_needs_parameters(name: str) -> bool:
    """Whether a registry rule needs parameters (e.g. a threshold), which a cycle cannot store:
    the platform can only run the rules that take none."""
    parameters = list(inspect.signature(RULES[name].run).parameters.values())[1:]
    return any(p.default is inspect.Parameter.empty for p in parameters)


@dataclass
class CheckedFile:
    """A file read and checked: only the database can still fail on it."""

    name: str
    pabulib: PabulibFile
    budget: int  # whole units, rounded down
    rule: str  # our registry name for its META rule
    max_choices: int | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What one import will write: the files, the cycle's title, rule and vote parameters."""

    files: list[CheckedFile]
    title: str
    rule: str
    vote_params: dict
    warnings: list[str]

    @property
    def ballots(self) -> int:
        return sum(f.pabulib.election.voter_count for f in self.files)


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
    kept = "greedy" if rule_needs_parameters(rule) else rule
    given = ", ".join(f"{key} {value}" for key, value in params.items())
    return kept, [f"{name}: META rule {declared!r} with {given} cannot be stored (a cycle has "
                  f"no rule parameters); using {kept}, the results may differ from the city's"]


def _max_choices(name: str, meta: dict) -> tuple[int | None, list[str]]:
    """META max_length (choose-1 means 1), or None: no limit."""
    text = meta.get("max_length", "")
    if text.isdigit() and int(text) > 0:
        return int(text), []
    fallback = 1 if meta.get("vote_type") == "choose-1" else None
    if not text:
        return fallback, []
    return fallback, [f"{name}: META max_length {text!r} is not a positive whole number"]


def check_file(path: str | Path) -> CheckedFile:
    """Read one file and check it can be imported. Raises ImportRefused (naming the file, and
    the line for a malformed file)."""
    name = Path(path).name
    try:
        pb = read_pabulib(path)
    except PabulibError as error:
        raise ImportRefused(f"{name}: {error}") from None
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
    budget = math.floor(pb.election.budget)
    if budget <= 0:
        raise ImportRefused(f"{name}: the budget {pb.meta['budget']} is less than 1")
    warnings = [f"{name}: {warning}" for warning in pb.warnings]
    if budget != pb.election.budget:
        warnings.append(f"{name}: budget {pb.meta['budget']} rounded down to {budget} (the "
                        "platform stores whole units)")
    rule, rule_warnings = _platform_rule(name, pb.meta)
    max_choices, choice_warnings = _max_choices(name, pb.meta)
    return CheckedFile(name, pb, budget, rule, max_choices,
                       warnings + rule_warnings + choice_warnings)


def plan_import(paths: Sequence[str | Path], title: str | None = None) -> ImportPlan:
    """Read and check every file before anything is written. Raises ImportRefused for the first
    file that cannot be imported."""
    if not paths:
        raise ImportRefused("no file to import")
    files = [check_file(path) for path in paths]
    warnings = [warning for f in files for warning in f.warnings]
    rules = sorted({f.rule for f in files})
    rule = rules[0] if len(rules) == 1 else "greedy"
    if len(rules) > 1:
        warnings.append(f"the files call for different rules ({', '.join(rules)}); the cycle "
                        "uses greedy")
    limits = [f.max_choices for f in files]
    max_choices = None if None in limits else max(limits)
    title = (title or "").strip() or "Pabulib: " + ", ".join(Path(p).stem for p in paths)
    return ImportPlan(files, cut(title, TITLE_LENGTH), rule,
                      {"min_choices": 0, "max_choices": max_choices}, warnings)
