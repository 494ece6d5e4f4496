"""Cumulative Pabulib files: imported with their points, tallied as the engine tallies the file.

Zürich S5D10 (META max_sum_points 10, no max_points) has ballots with 0-point entries: they are
kept as 0-point selections (services/importing.py says why), count as no support in the
results' `votes`, and go to the engine as recorded.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from budget.domain.fingerprint import canonical_election, envelope_fingerprint
from budget.domain.pabulib import read_pabulib, read_pabulib_text
from budget.domain.tally import Election, tally
from budget.extensions import db
from budget.models import Ballot, BallotSelection, BudgetCycle
from tests.commands.helpers import CUMULATIVE, file_ids, import_files, invoke, proposals_of
from tests.commands.test_tally import runs

ZURICH = read_pabulib(CUMULATIVE)


def stored_election(envelope) -> Election:
    """The envelope's ballots as stored, with the file's project ids and their points."""
    ids = file_ids(envelope, ZURICH)
    rows = db.session.execute(
        select(Ballot.id, BallotSelection.proposal_id, BallotSelection.points)
        .join(BallotSelection, BallotSelection.ballot_id == Ballot.id)
        .where(Ballot.cycle_id == envelope.cycle_id))
    ballots = defaultdict(dict)
    for ballot_id, proposal_id, points in rows:
        ballots[ballot_id][ids[str(proposal_id)]] = Fraction(points)
    grouped = Counter(frozenset(b.items()) for b in ballots.values())
    return Election(costs={ids[str(p.id)]: p.final_cost for p in proposals_of(envelope)},
                    budget=Fraction(envelope.amount),
                    ballots=[(dict(b), count) for b, count in grouped.items()],
                    vote_type="cumulative")


def test_a_cumulative_file_is_imported_with_its_points(app, session):
    result = invoke(app, "import-pb", CUMULATIVE)
    assert result.exit_code == 0, result.output
    assert "min_length/max_length are not kept" in result.stderr
    cycle = db.session.get(BudgetCycle, int(result.stdout.splitlines()[-1]))
    assert cycle.vote_format == "cumulative"
    assert cycle.vote_params == {"total_points": 10, "max_per_project": None}
    [envelope] = cycle.envelopes
    assert canonical_election(stored_election(envelope)) == canonical_election(ZURICH.election)
    zeros = db.session.scalar(select(func.count()).select_from(BallotSelection).join(Ballot)
                              .where(Ballot.cycle_id == cycle.id, BallotSelection.points == 0))
    assert zeros > 0  # the file's 0-point entries, kept


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-points"])
def test_the_platform_picks_the_winners_the_engine_picks_on_the_file(app, session, rule):
    cycle = import_files(app, CUMULATIVE)
    result = invoke(app, "tally", cycle.id, "--rule", rule)
    assert result.exit_code == 0, result.output
    [run] = runs(cycle)
    [stored] = run.result["envelopes"]
    tie_order = stored["input"]["tie_order"]
    expected = tally(rule, ZURICH.election, tie_order=tie_order)
    assert {p["external_id"] for p in stored["projects"] if p["selected"]} \
        == set(expected.selected)
    assert stored["fingerprint"] == envelope_fingerprint(rule, ZURICH.election, tie_order)
    assert stored["voters"] == ZURICH.election.voter_count == 180


def test_results_count_supporters_with_points_and_total_points(app, session):
    cycle = import_files(app, CUMULATIVE)
    assert invoke(app, "tally", cycle.id, "--rule", "greedy").exit_code == 0
    [stored] = runs(cycle)[0].result["envelopes"]
    supporters, points = Counter(), Counter()
    for ballot, count in ZURICH.election.ballots:
        for pid, given in ballot.items():
            supporters[pid] += count if given > 0 else 0
            points[pid] += given * count
    for row in stored["projects"]:
        assert row["votes"] == supporters[row["external_id"]]
        assert row["points"] == points[row["external_id"]]
    # The file's own `score` column is the total of points.
    assert {r["external_id"]: r["points"] for r in stored["projects"]} == {
        pid: int(cells["score"]) for pid, cells in ZURICH.projects.items()}
    rows = stored["projects"]
    assert [r["points"] for r in rows] == sorted((r["points"] for r in rows), reverse=True)


def test_a_rule_for_approval_ballots_only_is_refused_clearly(app, session):
    cycle = import_files(app, CUMULATIVE)
    result = invoke(app, "tally", cycle.id, "--rule", "phragmen")
    assert result.exit_code == 2
    assert "The rule “phragmen” cannot tally these ballots: phragmen needs approval ballots" \
        in result.stderr
    assert runs(cycle) == []


def test_meta_max_points_limits_the_points_per_project(tmp_path, app, session):
    text = CUMULATIVE.read_text().replace("max_sum_points;10", "max_sum_points;10\nmax_points;10")
    path = tmp_path / "with_max_points.pb"
    path.write_text(text)
    assert read_pabulib_text(text).meta["max_points"] == "10"
    cycle = import_files(app, path)
    assert cycle.vote_params == {"total_points": 10, "max_per_project": 10}
