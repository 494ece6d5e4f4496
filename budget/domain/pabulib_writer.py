"""Write Pabulib `.pb` files (https://pabulib.org/format): the platform's export of anonymous
ballots. pabulib.py reads them back."""
from __future__ import annotations

import csv
import os
from collections import Counter
from fractions import Fraction
from typing import Mapping, TextIO

from .tally.model import CARDINAL_VOTE_TYPES, Election


def _decimal(value) -> str:
    """The exact decimal text of a Fraction whose denominator divides a power of 10."""
    value = Fraction(value)
    for digits in range(0, 19):
        scaled = value * 10 ** digits
        if scaled.denominator == 1:
            if digits == 0:
                return str(scaled.numerator)
            sign = "-" if scaled < 0 else ""
            whole = str(abs(scaled.numerator)).rjust(digits + 1, "0")
            return f"{sign}{whole[:-digits]}.{whole[-digits:]}"
    raise ValueError(f"{value} has no finite decimal form; Pabulib needs decimals")


def write_pabulib(target: str | os.PathLike | TextIO, election: Election,
                  meta: Mapping[str, str] | None = None,
                  projects: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Write the election as a .pb file (to a path or a text stream).

    meta and projects (id -> extra columns) are copied through; num_projects, num_votes,
    budget and vote_type, and the votes/score columns, are recomputed from the election.
    Voters get the ids 1..n: no original voter id is written. choose-1 is kept if meta says so.
    """
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return write_pabulib(stream, election, meta, projects)
    meta = dict(meta or {})
    projects = projects or {}
    cardinal = election.vote_type in CARDINAL_VOTE_TYPES
    votes: Counter = Counter()
    score: Counter = Counter()
    for ballot, count in election.ballots:
        for pid in ballot:
            votes[pid] += count
            if cardinal:
                score[pid] += Fraction(ballot[pid]) * count
    declared_type = meta.get("vote_type")
    if not (declared_type == "choose-1" and election.vote_type == "approval"):
        meta["vote_type"] = election.vote_type
    meta.update(num_projects=str(len(election.costs)), num_votes=str(election.voter_count),
                budget=_decimal(election.budget))
    out = csv.writer(target, delimiter=";", lineterminator="\n")
    out.writerow(["META"])
    out.writerow(["key", "value"])
    out.writerows([key, value] for key, value in meta.items())
    computed = ["votes", "score"] if cardinal else ["votes"]
    extra = [key for cells in projects.values() for key in cells
             if key not in ("project_id", "cost", *computed)]
    columns = ["project_id", "cost", *computed, *dict.fromkeys(extra)]
    out.writerow(["PROJECTS"])
    out.writerow(columns)
    for pid, cost in election.costs.items():
        cells = dict(projects.get(pid, {}), project_id=pid, cost=_decimal(cost),
                     votes=str(votes[pid]), score=_decimal(score[pid]))
        out.writerow([cells.get(column, "") for column in columns])
    out.writerow(["VOTES"])
    out.writerow(["voter_id", "vote", "points"] if cardinal else ["voter_id", "vote"])
    voter = 0
    for ballot, count in election.ballots:
        ids = list(ballot) if election.vote_type == "ordinal" else sorted(ballot)
        row = [",".join(ids)]
        if cardinal:
            row.append(",".join(_decimal(ballot[pid]) for pid in ids))
        for _ in range(count):
            voter += 1
            out.writerow([str(voter), *row])
