"""Paper ballots: a batch per commune, typed twice by two different staff members, counted
once both typings agree.

Each typed ballot is checked by the rules of the online ballot of its commune
(voting.check_choices). Typing is allowed while the vote is open and while it is being
counted (the policy table, Action.ENTER_PAPER_BALLOTS), until the results are published. A
tally run while a batch is still typed is a preview: it freezes nothing, and it cannot be
published (tally.check_counts_everything); validation and the tally take the cycle's lock,
so a tally never misses a batch validated at the same moment.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import Select, select

from budget.domain.errors import DomainError, NotAllowed
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import begin_write_transaction, db
from budget.models import (Ballot, BudgetCycle, Commune, PaperBatch, PaperEntry,
                           PaperEntryBallot, Proposal)
from budget.models.paper import BALLOT_KINDS, MAX_BATCH_BALLOTS, VALID
from budget.models.time import utcnow
from budget.services import audit, cycles, policy, voting
from budget.services.policy import Action
from budget.services.transaction import use_case

MAX_LABEL = 200


@dataclass(frozen=True)
class Difference:
    """Where the two typings of a batch disagree: a ballot's kind (project None), or one
    project's choice. first/second: the kind, or the points (None: chosen without points;
    missing: not chosen); NOT_ENTERED when that typing has no such ballot yet."""

    position: int
    project: Proposal | None
    first: object
    second: object


NOT_ENTERED = "not-entered"
NOT_CHOSEN = "not-chosen"


def batches(user, cycle: BudgetCycle) -> Select:
    """The cycle's batches `user` works on (may_see): commune staff see their commune's only.
    A query, to paginate."""
    communes = db.session.scalars(select(PaperBatch.commune_id).distinct()
                                  .where(PaperBatch.cycle_id == cycle.id)).all()
    seen = [commune_id for commune_id in communes if policy.concerns(
        user, Action.ENTER_PAPER_BALLOTS, cycle, db.session.get(Commune, commune_id))]
    return (select(PaperBatch).where(PaperBatch.cycle_id == cycle.id,
                                     PaperBatch.commune_id.in_(seen))
            .order_by(PaperBatch.id))


def communes_open_to(user, cycle: BudgetCycle) -> list[Commune]:
    """The communes of the cycle whose paper ballots `user` may type."""
    return [e.commune for e in cycle.envelopes if e.commune is not None
            and policy.concerns(user, Action.ENTER_PAPER_BALLOTS, cycle, e.commune)]


def accepting(user, cycle: BudgetCycle, communes: list[Commune]) -> bool:
    """Whether `user` may type paper ballots of one of `communes` now."""
    return any(policy.can(user, Action.ENTER_PAPER_BALLOTS, cycle, commune)
               for commune in communes)


def batches_being_typed(cycle: BudgetCycle) -> list[PaperBatch]:
    """The cycle's batches not validated yet: they keep a tally from being published."""
    return db.session.scalars(select(PaperBatch).where(
        PaperBatch.cycle_id == cycle.id, PaperBatch.validated_at.is_(None))
        .order_by(PaperBatch.id)).all()


def may_see(user, batch: PaperBatch) -> bool:
    return policy.concerns(user, Action.ENTER_PAPER_BALLOTS, batch_cycle(batch), batch)


def batch_cycle(batch: PaperBatch) -> BudgetCycle:
    return db.session.get(BudgetCycle, batch.cycle_id)


def _check_open(user, cycle: BudgetCycle, target) -> None:
    policy.check(user, Action.ENTER_PAPER_BALLOTS, cycle, target)  # closed once published


def _check_batch_open(user, batch: PaperBatch) -> BudgetCycle:
    cycle = batch_cycle(batch)
    _check_open(user, cycle, batch)
    if batch.validated_at is not None:
        raise DomainError("This batch is validated: its ballots are counted and can no "
                          "longer change.")
    return cycle


@use_case
def create_batch(user, cycle: BudgetCycle, commune: Commune, label: str,
                 declared_count: int) -> PaperBatch:
    """A new batch of `declared_count` paper ballots of `commune`. Raises NotAllowed,
    WrongPhase, DomainError (a commune without a ballot in this cycle, a bad label or count)."""
    begin_write_transaction()
    _check_open(user, cycle, commune)
    if not cycle.envelopes_for(commune.id):
        raise DomainError("This commune votes on no envelope of this cycle.", field="commune")
    if not label.strip() or len(label.strip()) > MAX_LABEL:
        raise DomainError("Name the batch: polling station and date (at most 200 "
                          "characters).", field="label")
    if not isinstance(declared_count, int) or not 1 <= declared_count <= MAX_BATCH_BALLOTS:
        raise DomainError("A batch holds between 1 and %(count)d ballots.",
                          field="declared_count", count=MAX_BATCH_BALLOTS)
    batch = PaperBatch(cycle_id=cycle.id, commune_id=commune.id, label=label.strip(),
                       declared_count=declared_count)
    db.session.add(batch)
    audit.record(user, "paper.create_batch", batch, after={
        "commune_id": commune.id, "label": batch.label, "declared_count": declared_count})
    return batch


def entry_of(user, batch: PaperBatch) -> PaperEntry | None:
    return next((e for e in batch.entries if e.entered_by_id == user.id), None)


@use_case
def start_entry(user, batch: PaperBatch) -> PaperEntry:
    """Take the first free typing of the batch. Raises NotAllowed when `user` already typed
    the other one (the two typings must be by two people) or both are taken."""
    begin_write_transaction()
    _check_batch_open(user, _locked(batch))
    mine = entry_of(user, batch)
    if mine is not None:
        return mine
    taken = {e.number for e in batch.entries}
    if taken == {1, 2}:
        raise NotAllowed("Both entries of this batch are already being typed by other people.")
    if user.id is None:
        raise NotAllowed("Paper ballots are entered by a person with an account.")
    entry = PaperEntry(batch=batch, number=1 if 1 not in taken else 2, entered_by_id=user.id)
    db.session.add(entry)
    audit.record(user, "paper.start_entry", entry, cycle=batch.cycle_id,
                 after={"batch_id": batch.id, "number": entry.number})
    return entry


def _own_entry(user, batch: PaperBatch) -> PaperEntry:
    entry = entry_of(user, batch)
    if entry is None:
        raise NotAllowed("Start your own entry of this batch first.")
    return entry


def read_choices(cycle: BudgetCycle, commune_id: int, selected) -> list[list]:
    """The checked choices of a valid ballot as stored: [[project id, points or None], ...]
    by project id (a 0 is no choice). Raises InvalidBallot, as for an online ballot."""
    voting.check_choices(cycle, commune_id, selected)
    return [[row.proposal_id, row.points] for row in voting.selection_rows(cycle, selected)]


@use_case
def enter_ballot(user, batch: PaperBatch, position: int, kind: str, selected) -> None:
    """Type (or correct) ballot number `position` of `user`'s entry. kind: valid (then
    `selected` as voting.check() takes it, checked by the same rules), blank or spoiled
    (`selected` ignored). Raises NotAllowed, WrongPhase, InvalidBallot, DomainError."""
    begin_write_transaction()
    cycle = _check_batch_open(user, batch)
    entry = _own_entry(user, batch)
    if not 1 <= position <= batch.declared_count:
        raise DomainError("This batch has no ballot number %(position)d.", position=position)
    if kind not in BALLOT_KINDS:
        raise DomainError("Say whether the ballot is valid, blank or spoiled.", field="kind")
    if kind != VALID and _marks_any(selected):
        # The typist ticked projects on a ballot they call blank or spoiled: one of the two is
        # a typing slip, and saving would silently drop the choices. They check the paper.
        raise DomainError(
            "A blank or spoiled ballot has no choice to type: untick its projects, or mark "
            "the ballot valid if its choices count.", field="kind")
    choices = read_choices(cycle, batch.commune_id, selected) if kind == VALID else []
    row = db.session.get(PaperEntryBallot, (entry.id, position))
    before = {"kind": row.kind, "choices": row.choices} if row else None
    if row is None:
        row = PaperEntryBallot(entry=entry, position=position)
        db.session.add(row)
    row.kind, row.choices = kind, choices
    audit.record(user, "paper.enter_ballot", row, cycle=cycle, before=before,
                 after={"batch_id": batch.id, "entry": entry.number, "position": position,
                        "kind": kind, "choices": choices})


def _marks_any(selected) -> bool:
    """Whether the typed form chose a project: an approval ballot's project ids, or a
    cumulative ballot's (id, points) texts with points other than empty or zero."""
    for item in selected or ():
        if not isinstance(item, tuple):
            return True
        points = str(item[1]).strip()
        if points and points.strip("0"):
            return True
    return False


def _typed(entry: PaperEntry | None) -> dict[int, tuple[str, dict]]:
    """position -> (kind, {project id: points or None})."""
    if entry is None:
        return {}
    return {b.position: (b.kind, {pid: points for pid, points in b.choices})
            for b in entry.ballots}


def differences(batch: PaperBatch) -> list[Difference]:
    """Every disagreement between the two typings, by ballot number then project; ballots one
    typing has not entered yet count as differences too."""
    first, second = _typed(batch.entry(1)), _typed(batch.entry(2))
    found = []
    for position in range(1, batch.declared_count + 1):
        a, b = first.get(position), second.get(position)
        if a is None or b is None or a[0] != b[0]:
            found.append(Difference(position, None, a[0] if a else NOT_ENTERED,
                                    b[0] if b else NOT_ENTERED))
            continue
        for pid in sorted(set(a[1]) | set(b[1])):
            left, right = a[1].get(pid, NOT_CHOSEN), b[1].get(pid, NOT_CHOSEN)
            if left != right:
                found.append(Difference(position, db.session.get(Proposal, pid), left, right))
    return found


def _locked(batch: PaperBatch) -> PaperBatch:
    """The batch, locked until the transaction ends (PostgreSQL; SQLite's write lock is the
    whole database, already taken by begin_write_transaction)."""
    db.session.execute(select(PaperBatch.id).where(PaperBatch.id == batch.id)
                       .with_for_update())
    db.session.refresh(batch)
    return batch


@use_case
def validate(user, batch: PaperBatch) -> int:
    """Count the batch: write its valid ballots as paper Ballot rows (random ids and order,
    no link to the batch or to the typists) and its blank and spoiled counts, in one
    transaction. Returns the number of ballots added to the box. Raises NotAllowed,
    WrongPhase, DomainError (typings missing, incomplete or different: nothing is written)."""
    cycles.lock(batch_cycle(batch))  # a tally started meanwhile waits, then counts this batch
    cycle = _check_batch_open(user, _locked(batch))
    if len(batch.entries) < 2:
        raise DomainError("Both entries are needed before the batch can be validated.")
    if differences(batch):
        raise DomainError("The two entries differ: correct them before validating.")
    typed = _typed(batch.entry(1))
    kinds = [kind for kind, _ in typed.values()]
    ballots = []
    for kind, chosen in typed.values():
        if kind != VALID:
            continue
        ballot = Ballot(cycle_id=cycle.id, commune_id=batch.commune_id, channel="paper",
                        receipt_hash=receipt_hash(new_receipt_code()))
        # Checked again: what was typed must still be a valid ballot of the commune.
        voting.check_choices(cycle, batch.commune_id, _as_sent(cycle, chosen))
        ballot.selections = voting.selection_rows(cycle, _as_sent(cycle, chosen))
        ballots.append(ballot)
    random.SystemRandom().shuffle(ballots)
    db.session.add_all(ballots)
    batch.validated_at = utcnow()
    batch.blank_count, batch.spoiled_count = kinds.count("blank"), kinds.count("spoiled")
    # The ballots themselves are not logged by id: that would link them to the batch.
    audit.record(user, "paper.validate", batch, after={
        "ballots": len(ballots), "blank": batch.blank_count,
        "spoiled": batch.spoiled_count})
    return len(ballots)


def _as_sent(cycle: BudgetCycle, chosen: dict):
    """A stored ballot in the shape voting.check_choices takes."""
    return dict(chosen) if cycle.ballot_format.takes_points else sorted(chosen)


def paper_counts(cycle: BudgetCycle) -> dict[int, dict[str, int]]:
    """Commune id -> blank and spoiled paper ballots of its validated batches."""
    counts: dict[int, dict[str, int]] = {}
    for batch in db.session.scalars(select(PaperBatch).where(
            PaperBatch.cycle_id == cycle.id, PaperBatch.validated_at.is_not(None))):
        mine = counts.setdefault(batch.commune_id, {"blank": 0, "spoiled": 0})
        mine["blank"] += batch.blank_count
        mine["spoiled"] += batch.spoiled_count
    return counts


def typed_ballot(user, batch: PaperBatch, position: int) -> PaperEntryBallot | None:
    entry = entry_of(user, batch)
    return db.session.get(PaperEntryBallot, (entry.id, position)) if entry else None

