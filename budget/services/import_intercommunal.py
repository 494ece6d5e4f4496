"""The intercommunal file of a Pabulib import (`flask budget import-pb FILES --intercommunal
FILE`): its projects make the cycle's intercommunal envelope, and each of its voters' choices
join the ballot of the same voter_id in a commune file, so that every voter casts one ballot
with both parts, as on the platform (Paris: each arrondissement's file and the city-wide one).

Plain data in and out, read before anything is written; the files were read and checked
whole first (import_plan.check_file), so only their voter ids are checked here."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Iterator

from budget.domain.pabulib import ReadLimits
from budget.services.import_plan import (CheckedFile, ImportPlan, ImportRefused, check_file,
                                         plan_import)

# A commune file's ballot with its voter's intercommunal choices: (the commune file's project
# ids, the intercommunal file's project ids).
MergedBallot = tuple[frozenset, frozenset]


def plan_with_intercommunal(paths: list[str | Path], intercommunal: str | Path,
                            title: str | None = None,
                            limits: ReadLimits = ReadLimits()) -> ImportPlan:
    """import_plan.plan_import for the commune files `paths`, plus the intercommunal file.
    Raises ImportRefused."""
    plan = plan_import(paths, title, limits)
    inter = check_file(intercommunal, limits)
    plan.warnings += inter.warnings
    plan.intercommunal, plan.merged = inter, merge(plan.files, paths, inter, intercommunal)
    if plan.vote_params.get("max_choices") is not None:     # a ballot now holds both parts
        plan.vote_params["max_choices"] = (None if inter.max_choices is None
                                           else plan.vote_params["max_choices"]
                                           + inter.max_choices)
    return plan


def votes_by_voter(path: str | Path) -> Iterator[tuple[str, frozenset]]:
    """(voter id, the project ids of the vote) of each VOTES row of a checked approval file."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream, delimiter=";")
        for row in rows:
            if len(row) == 1 and row[0].strip().lower() == "votes":
                break
        header = [cell.strip() for cell in next(rows)]
        voter_at = header.index("voter_id") if "voter_id" in header else 0
        vote_at = header.index("vote")
        for row in rows:
            if row and any(cell.strip() for cell in row):
                vote = row[vote_at] if vote_at < len(row) else ""
                yield row[voter_at].strip(), frozenset(
                    pid.strip() for pid in vote.split(",") if pid.strip())


def merge(communes: list[CheckedFile], commune_paths: list[str | Path],
          intercommunal: CheckedFile, intercommunal_path: str | Path
          ) -> list[Counter[MergedBallot]]:
    """For each commune file, its ballots joined with the intercommunal choices of the same
    voters, as counts of equal ballots. A commune voter absent from the intercommunal file
    chose nothing there. Raises ImportRefused for a file that is not approval, and for an
    intercommunal voter whom no commune file lists."""
    for checked in (*communes, intercommunal):
        if checked.vote_format != "approval":
            raise ImportRefused(f"{checked.name}: an intercommunal import takes approval files "
                                f"only, not {checked.vote_format}")
    shared: dict[frozenset, frozenset] = {}     # one object per distinct vote
    choices = {voter: shared.setdefault(vote, vote)
               for voter, vote in votes_by_voter(intercommunal_path)}
    if "" in choices:
        raise ImportRefused(f"{intercommunal.name}: a voter has no voter_id, so their commune "
                            "ballot cannot be found")
    merged = []
    for path in commune_paths:
        ballots: Counter[MergedBallot] = Counter()
        for voter, vote in votes_by_voter(path):
            ballots[vote, choices.pop(voter, frozenset()) if voter else frozenset()] += 1
        merged.append(ballots)
    if choices:
        voter = next(iter(choices))
        raise ImportRefused(f"{intercommunal.name}: voter {voter!r} is in no commune file "
                            f"({len(choices):,} such voter(s)); each intercommunal voter must "
                            "vote in one commune file, with the same voter_id")
    return merged
