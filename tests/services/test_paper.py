"""Paper ballots: two independent entries by two people, compared, validated, counted."""
import re
from datetime import timedelta

import pytest

from budget.domain.errors import DomainError, InvalidBallot, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, PaperBatch
from budget.models.time import utcnow
from budget.services import paper, tally, tally_result, voting
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w):
    cycle = factories.cycle(w, Phase.VOTE, vote_params={"max_choices": 2})
    alice = w.users["alice"]
    cycle.north_ids = [factories.project(cycle, w.north, f"Nord {n}", cost, alice).id
                       for n, cost in enumerate((4_000, 5_000, 3_000))]
    cycle.shared_id = factories.project(cycle, None, "Piste cyclable", 60_000, alice).id
    return cycle


def typed(w, cycle, ballots, who=("northclerk", "staff"), count=None):
    """A batch of Nordville typed by two people; `ballots`: (kind, selected) in order."""
    batch = paper.create_batch(w.users[who[0]], cycle, w.north, "Mairie, 12 mars",
                               count or len(ballots))
    for person in who:
        paper.start_entry(w.users[person], batch)
        for position, (kind, selected) in enumerate(ballots, start=1):
            paper.enter_ballot(w.users[person], batch, position, kind, selected)
    return batch


def ballots_of(cycle, channel="paper"):
    return db.session.query(Ballot).filter_by(cycle_id=cycle.id, channel=channel).all()


def test_two_agreeing_entries_are_validated_into_paper_ballots(w, cycle):
    north = cycle.north_ids
    batch = typed(w, cycle, [("valid", [north[0], cycle.shared_id]), ("blank", []),
                             ("valid", [north[1]]), ("spoiled", [])])
    assert paper.differences(batch) == []
    assert paper.validate(w.users["admin"], batch) == 2
    stored = ballots_of(cycle)
    assert sorted(sorted(s.proposal_id for s in b.selections) for b in stored) == [
        sorted([north[0], cycle.shared_id]), [north[1]]]
    assert {b.commune_id for b in stored} == {w.north.id}
    assert (batch.blank_count, batch.spoiled_count) == (1, 1)
    assert paper.paper_counts(cycle) == {w.north.id: {"blank": 1, "spoiled": 1}}


def test_a_validated_batch_changes_no_more(w, cycle):
    batch = typed(w, cycle, [("valid", [cycle.north_ids[0]])])
    paper.validate(w.users["staff"], batch)
    with pytest.raises(DomainError):
        paper.validate(w.users["staff"], batch)
    with pytest.raises(DomainError):
        paper.enter_ballot(w.users["staff"], batch, 1, "blank", [])
    assert len(ballots_of(cycle)) == 1


def test_disagreeing_entries_block_validation_and_show_where(w, cycle):
    north = cycle.north_ids
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 2)
    for person, second in (("northclerk", [north[1]]), ("staff", [north[2]])):
        paper.start_entry(w.users[person], batch)
        paper.enter_ballot(w.users[person], batch, 1, "valid", [north[0]])
        paper.enter_ballot(w.users[person], batch, 2, "valid", second)
    found = paper.differences(batch)
    assert [(d.position, d.project.id, d.first, d.second) for d in found] == [
        (2, north[1], None, paper.NOT_CHOSEN), (2, north[2], paper.NOT_CHOSEN, None)]
    with pytest.raises(DomainError, match="differ"):
        paper.validate(w.users["staff"], batch)
    assert ballots_of(cycle) == [] and batch.validated_at is None
    # The entry that was wrong is corrected: now they agree.
    paper.enter_ballot(w.users["staff"], batch, 2, "valid", [north[1]])
    assert paper.differences(batch) == []
    assert paper.validate(w.users["staff"], batch) == 2


def test_a_missing_ballot_or_entry_is_a_difference(w, cycle):
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 2)
    paper.start_entry(w.users["northclerk"], batch)
    paper.enter_ballot(w.users["northclerk"], batch, 1, "blank", [])
    assert [(d.position, d.first, d.second) for d in paper.differences(batch)] == [
        (1, "blank", paper.NOT_ENTERED), (2, paper.NOT_ENTERED, paper.NOT_ENTERED)]
    with pytest.raises(DomainError, match="Both entries"):
        paper.validate(w.users["northclerk"], batch)


def test_the_same_person_cannot_type_both_entries(w, cycle):
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    first = paper.start_entry(w.users["northclerk"], batch)
    assert paper.start_entry(w.users["northclerk"], batch) == first  # still their own entry
    paper.start_entry(w.users["staff"], batch)
    with pytest.raises(NotAllowed):
        paper.start_entry(w.users["admin"], batch)
    assert sorted(e.entered_by_id for e in batch.entries) == sorted(
        [w.users["northclerk"].id, w.users["staff"].id])


def test_nobody_types_in_an_entry_they_did_not_start(w, cycle):
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    paper.start_entry(w.users["northclerk"], batch)
    with pytest.raises(NotAllowed):
        paper.enter_ballot(w.users["staff"], batch, 1, "blank", [])


def test_an_invalid_ballot_is_refused_by_the_online_rules(w, cycle):
    north = cycle.north_ids
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    paper.start_entry(w.users["northclerk"], batch)
    with pytest.raises(InvalidBallot) as refused:  # max_choices is 2 per envelope
        paper.enter_ballot(w.users["northclerk"], batch, 1, "valid", north)
    assert "at most" in refused.value.message
    south = factories.project(cycle, w.south, "Sud", 1_000, w.users["bob"]).id
    with pytest.raises(InvalidBallot):  # not on Nordville's ballot
        paper.enter_ballot(w.users["northclerk"], batch, 1, "valid", [south])
    with pytest.raises(InvalidBallot):
        paper.enter_ballot(w.users["northclerk"], batch, 1, "valid", [])
    db.session.rollback()
    assert paper.entry_of(w.users["northclerk"], batch).ballots == []
    # The same paper ballot may be recorded as spoiled (nul) instead, its choices unticked:
    # typed with them, one of the two is a slip, and the service asks which.
    with pytest.raises(DomainError) as refused:
        paper.enter_ballot(w.users["northclerk"], batch, 1, "spoiled", north)
    assert refused.value.field == "kind"
    db.session.rollback()
    paper.enter_ballot(w.users["northclerk"], batch, 1, "spoiled", [])
    assert paper.typed_ballot(w.users["northclerk"], batch, 1).choices == []


@pytest.mark.parametrize("who", ["southclerk", "otherstaff", "alice", "council"])
def test_others_cannot_enter_a_communes_paper_ballots(w, cycle, who):
    with pytest.raises(NotAllowed):
        paper.create_batch(w.users[who], cycle, w.north, "Mairie", 1)
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    with pytest.raises(NotAllowed):
        paper.start_entry(w.users[who], batch)
    assert not paper.may_see(w.users[who], batch)


def test_a_tally_run_while_a_batch_is_typed_is_a_preview_that_freezes_nothing(w, cycle):
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie du Nord", 1)
    close(cycle)
    paper.start_entry(w.users["northclerk"], batch)  # the counting phase: still open
    preview = tally.run_tally(w.users["staff"], cycle)
    paper.enter_ballot(w.users["northclerk"], batch, 1, "blank", [])  # still open
    with pytest.raises(DomainError, match="still being typed") as refused:
        tally.publish(w.users["staff"], cycle, preview.id)
    assert refused.value.params == {"batches": "Mairie du Nord"}
    assert tally.publishable(cycle, preview) is not None
    assert preview.published_at is None


def test_a_run_that_misses_a_batch_validated_after_it_is_never_published(w, cycle):
    north = cycle.north_ids
    batch = typed(w, cycle, [("valid", [north[0]])] * 2)
    close(cycle)
    early = tally.run_tally(w.users["staff"], cycle)
    paper.validate(w.users["staff"], batch)
    # Not the latest run any more is one reason; the count is checked on its own too.
    with pytest.raises(DomainError, match="added since"):
        tally.check_counts_everything(cycle, early)
    complete = tally.run_tally(w.users["staff"], cycle)
    assert complete.result["ballots"] == 2
    tally.publish(w.users["staff"], cycle, complete.id)
    assert complete.published_at is not None


def test_paper_ballots_close_with_the_publication(w, cycle):
    close(cycle)
    run = tally.run_tally(w.users["staff"], cycle)
    tally.publish(w.users["staff"], cycle, run.id)
    with pytest.raises(WrongPhase):
        paper.create_batch(w.users["northclerk"], cycle, w.north, "Trop tard", 1)


def close(cycle):
    cycle.vote_end = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert cycle.phase() == Phase.COUNTING


def test_not_before_the_vote(w):
    cycle = factories.cycle(w, Phase.REVIEW)
    with pytest.raises(WrongPhase):
        paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)


def test_nothing_is_half_written_when_validation_fails(w, cycle, monkeypatch):
    north = cycle.north_ids
    batch = typed(w, cycle, [("valid", [north[0]]), ("valid", [north[1]]),
                             ("valid", [north[2]])])
    calls = []
    real = voting.selection_rows

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(voting, "selection_rows", failing)
    with pytest.raises(RuntimeError):
        paper.validate(w.users["staff"], batch)
    assert ballots_of(cycle) == []
    assert db.session.get(PaperBatch, batch.id).validated_at is None


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_validated_paper_ballots_are_counted_by_the_tally(w, cycle, rule):
    north = cycle.north_ids
    voting.cast(w.users["alice"], cycle, [north[0]])
    pending = paper.create_batch(w.users["northclerk"], cycle, w.north, "Pas fini", 1)
    paper.start_entry(w.users["northclerk"], pending)
    paper.enter_ballot(w.users["northclerk"], pending, 1, "valid", [north[0]])
    batch = typed(w, cycle, [("valid", [north[1]])] * 3 + [("blank", [])])
    paper.validate(w.users["staff"], batch)
    _, result = tally_result.compute(cycle, rule)
    assert result["ballots"] == 4
    assert result["ballots_by_channel"] == {"online": 1, "paper": 3}
    assert result["paper_by_commune"] == {
        str(w.north.id): {"ballots": 3, "blank": 1, "spoiled": 0}}
    envelope = next(e for e in result["envelopes"] if e["commune_id"] == w.north.id)
    votes = {p["id"]: p["votes"] for p in envelope["projects"]}
    assert votes[north[1]] == 3 and votes[north[0]] == 1  # the pending batch is not counted
    assert [p["id"] for p in envelope["projects"] if p["selected"]][0] == north[1]


def test_cumulative_paper_ballots_follow_the_points_rules(w):
    cycle = factories.cycle(w, Phase.VOTE, "cumulative", {"total_points": 5})
    park = factories.project(cycle, w.north, "Parc", 1_000, w.users["alice"]).id
    batch = paper.create_batch(w.users["northclerk"], cycle, w.north, "Mairie", 1)
    paper.start_entry(w.users["northclerk"], batch)
    with pytest.raises(InvalidBallot):
        paper.enter_ballot(w.users["northclerk"], batch, 1, "valid", {park: 6})
    db.session.rollback()
    paper.enter_ballot(w.users["northclerk"], batch, 1, "valid", {str(park): "4"})
    paper.start_entry(w.users["staff"], batch)
    paper.enter_ballot(w.users["staff"], batch, 1, "valid", {park: 4})
    paper.validate(w.users["staff"], batch)
    (ballot,) = ballots_of(cycle)
    assert [(s.proposal_id, s.points) for s in ballot.selections] == [(park, 4)]


def test_the_council_report_counts_paper_blank_and_spoiled_ballots(w, cycle):
    """The PDF's turnout table: ballots, of which on paper, blank or spoiled paper ballots."""
    import io

    from pypdf import PdfReader

    from budget.services import exports

    north = cycle.north_ids
    voting.cast(w.users["alice"], cycle, [north[0]])
    batch = typed(w, cycle, [("valid", [north[1]])] * 3 + [("blank", []), ("spoiled", [])] * 2)
    paper.validate(w.users["staff"], batch)
    close(cycle)
    run = tally.run_tally(w.users["staff"], cycle)
    report = exports.build_report(cycle, run, preview=False)
    pdf = PdfReader(io.BytesIO(exports.FORMATS["pdf"].render(report)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Dont papier" in text and "Bulletins papier blancs ou nuls" in text
    # Nordville: 4 ballots, none at a kiosk, 3 on paper, 4 blank or spoiled paper ballots.
    assert re.search(r"Nordville 4 0 3 4 ", text), text[:3000]
