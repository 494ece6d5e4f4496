"""The one reader of a stored tally result (`TallyRun.result`, the JSON that
tally_result.compute writes): pages, exports, the API and the commands read a run through
`read`, never by key.

    result = read(run.result)    # a TallyResult; raises UnknownResultVersion
    result.envelopes[0].projects[0].outcome_text()

Versions: compute writes RESULT_VERSION. Version 1 is the current shape; a result stored
without "version" is read as version 1, and keys that older runs lack (paper ballots, ballots
by channel, kiosk ballots by commune, fairness figures, points, the engine version) read as
empty. A change of shape
gets a new version number and its branch in `read`, so that every stored run stays readable.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from budget.formatting import euros, euros_cents, number, plural


@dataclass(frozen=True)
class ProjectLine:
    """One project of an envelope, as the run decided it. Money in whole euros."""

    id: int
    title: str
    cost: int
    votes: int
    selected: bool
    selection_rank: int | None
    status: str | None  # what a greedy rule saw: "selected", "skipped", ... (None: other rules)
    remaining_before: int | float | None  # euros left when a greedy step reached it (cents
    # possible after Equal Shares)
    explanation: dict  # the stored why (kind, supporters, price, available...), may be {}
    tally_id: str  # the project's id in the tally input and in .pb files
    points: int | None = None  # points received, on cumulative ballots only

    @property
    def kind(self) -> str:
        """The explanation's kind (`greedy-skipped`, `mes-short`...; see
        budget/domain/explanations.py), or the older runs' short greedy status."""
        return self.explanation.get("kind") or (f"greedy-{self.status}" if self.status else "")

    @property
    def outcome(self) -> str:
        """'funded', 'did_not_fit' (its turn came but the money left was less than its cost)
        or 'not_funded'."""
        if self.selected:
            return "funded"
        if self.kind in ("greedy-skipped", "completion-skipped") \
                and self.remaining_before is not None:
            return "did_not_fit"
        return "not_funded"

    def outcome_text(self) -> str:
        """The outcome in a sentence, in the current locale: the results page's wording
        (templates/results/_outcome.html), so both say the same thing."""
        why, kind = self.explanation, self.kind
        if self.selected:
            if kind == "mes-funded":
                detail = self._paid_by()
            elif kind == "welfare-funded":
                detail = gettext("in the combination of projects that fits in the envelope and "
                                 "satisfies voters the most")
            elif kind == "completion-selected":
                detail = gettext("with the money Equal Shares left unspent, in order of votes")
            elif self.selection_rank:
                detail = gettext("funded in position %(rank)d", rank=self.selection_rank)
            else:
                return gettext("Funded")
            return f"{gettext('Funded')} — {detail}"
        if self.outcome == "did_not_fit":
            return gettext("Not funded: it did not fit (%(left)s left when its turn came, "
                           "it costs %(cost)s).", left=euros(self.remaining_before),
                           cost=euros(self.cost))
        if kind == "mes-short":
            return gettext("Not funded: its supporters' remaining shares covered only "
                           "%(available)s of its %(cost)s.",
                           available=euros_cents(why["available"]), cost=euros(self.cost))
        if kind == "greedy-not-reached":
            return gettext("Not funded: the rule stopped at a project that did not fit.")
        if kind == "phragmen-stopped":
            return gettext("Not funded: its turn came with only %(left)s left for its "
                           "%(cost)s, and the rule stops there.",
                           left=euros_cents(why["money_left"]), cost=euros(self.cost))
        if kind == "phragmen-not-reached":
            return gettext("Not funded: the rule stopped before its turn.")
        if kind == "welfare-left-out":
            return gettext("Not funded: it is not in the combination of projects that fits "
                           "in the envelope and satisfies voters the most.")
        return gettext("Not funded")

    def _paid_by(self) -> str:
        """Who paid a project Equal Shares funded: its supporters with some share left (the
        stored `supporters`); the others had spent their whole share on projects funded
        before it."""
        paid, price = self.explanation["supporters"], euros_cents(self.explanation["price"])
        others = self.votes - paid
        if others <= 0:
            return plural("its only supporter paid it (%(price)s) from their equal share",
                          "its %(num)d supporters paid it from their equal shares, at most "
                          "%(price)s each", paid, price=price)
        payers = plural("%(num)d of its %(votes)s supporters paid it (%(price)s) from their "
                          "equal share",
                          "%(num)d of its %(votes)s supporters paid it from their equal "
                          "shares, at most %(price)s each", paid, votes=number(self.votes),
                          price=price)
        rest = plural("the other one had no share left", "the other %(num)d had no share left",
                      others)
        return f"{payers}; {rest}"


def project_line(row: dict) -> ProjectLine:
    """A stored result row (results JSON) as a ProjectLine."""
    why = row.get("explanation") or {}
    remaining = row.get("remaining_before", why.get("remaining_before"))
    return ProjectLine(
        id=row["id"], title=row["title"], cost=row["cost"], votes=row["votes"],
        selected=bool(row["selected"]), selection_rank=row.get("selection_rank"),
        status=row.get("status"), remaining_before=remaining, explanation=why,
        tally_id=row.get("external_id") or str(row["id"]), points=row.get("points"))


RESULT_VERSION = 1


class UnknownResultVersion(ValueError):
    """A result written by a newer version of the application than this one."""


@dataclass(frozen=True)
class EnvelopeResult:
    """One envelope as the run tallied it. Money in whole euros."""

    id: int
    name: str | None  # the commune's name; None: the intercommunal envelope
    commune_id: int | None
    amount: int
    voters: int  # ballots counted in this envelope
    spent: int
    fingerprint: str
    share_per_voter: float | None  # Equal Shares: each voter's share of the envelope
    input: dict  # exactly what was tallied (canonical election and tie order)
    projects: list[ProjectLine]  # most votes (points) first

    @property
    def label(self) -> str:
        """The commune's name, or 'Intercommunal envelope' in the current locale."""
        return self.name if self.commune_id is not None else gettext("Intercommunal envelope")

    @property
    def with_points(self) -> bool:
        """Whether the ballots gave points (cumulative): then each project has its points."""
        return any(p.points is not None for p in self.projects)

    @property
    def winners(self) -> list[ProjectLine]:
        return sorted((p for p in self.projects if p.selected),
                      key=lambda p: (p.selection_rank or 0, p.id))

    def project(self, project_id: int) -> ProjectLine | None:
        return next((p for p in self.projects if p.id == project_id), None)


@dataclass(frozen=True)
class PaperCounts:
    """Paper ballots of a commune: counted ones, and the blank and spoiled ones (never
    tallied)."""

    ballots: int = 0
    blank: int = 0
    spoiled: int = 0


@dataclass(frozen=True)
class TallyResult:
    version: int
    engine: str  # the counting engine's version ("" for the oldest runs)
    rule: str
    tie_break: str
    ballots: int
    envelopes: list[EnvelopeResult]
    ballots_by_channel: dict[str, int] = field(default_factory=dict)  # "online", "paper"
    ballots_by_commune: dict[int, int] = field(default_factory=dict)
    paper_by_commune: dict[int, PaperCounts] = field(default_factory=dict)
    kiosk_by_commune: dict[int, int] = field(default_factory=dict)  # {} in older runs
    satisfied: int = 0  # ballots with at least one funded project
    satisfied_by_commune: dict[int, int] = field(default_factory=dict)

    @property
    def projects(self) -> list[ProjectLine]:
        return [p for e in self.envelopes for p in e.projects]

    @property
    def winners(self) -> list[tuple[EnvelopeResult, ProjectLine]]:
        """Every funded project, envelope by envelope."""
        return [(e, p) for e in self.envelopes for p in e.winners]


def _by_commune(counts: dict) -> dict[int, int]:
    return {int(commune_id): count for commune_id, count in counts.items()}


def _envelope(row: dict) -> EnvelopeResult:
    return EnvelopeResult(
        id=row["id"], name=row.get("name"), commune_id=row["commune_id"], amount=row["amount"],
        voters=row["voters"], spent=row["spent"], fingerprint=row.get("fingerprint", ""),
        share_per_voter=row.get("share_per_voter"), input=row.get("input", {}),
        projects=[project_line(p) for p in row["projects"]])


def read(result: dict) -> TallyResult:
    """A stored result (TallyRun.result) as a TallyResult, whatever version wrote it."""
    version = result.get("version", 1)
    if version != RESULT_VERSION:
        raise UnknownResultVersion(f"tally result version {version!r}: this application "
                                   f"reads version {RESULT_VERSION}")
    return TallyResult(
        version=version, engine=str(result.get("engine", "")), rule=result["rule"],
        tie_break=result["tie_break"], ballots=result["ballots"],
        envelopes=[_envelope(row) for row in result["envelopes"]],
        ballots_by_channel=dict(result.get("ballots_by_channel", {})),
        ballots_by_commune=_by_commune(result.get("ballots_by_commune", {})),
        paper_by_commune={int(c): PaperCounts(**counts)
                          for c, counts in result.get("paper_by_commune", {}).items()},
        kiosk_by_commune=_by_commune(result.get("kiosk_by_commune", {})),
        satisfied=result.get("satisfied", 0),
        satisfied_by_commune=_by_commune(result.get("satisfied_by_commune", {})))
