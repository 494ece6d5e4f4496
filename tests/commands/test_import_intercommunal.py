"""`flask budget import-pb FILES --intercommunal FILE`: the commune files and the intercommunal
one make one cycle where each voter casts one ballot holding both choices."""
from __future__ import annotations

from sqlalchemy import func, select

from budget.domain.fingerprint import canonical_election
from budget.domain.pabulib import read_pabulib
from budget.extensions import db
from budget.models import Ballot, BudgetCycle, Proposal
from budget.services import tally_result
from tests.commands.helpers import invoke


def _write(path, unit: str, projects: dict[str, int], budget: int, votes: dict[str, str]):
    lines = ["META", "key;value", f"description;{unit}", "country;France", f"unit;{unit}",
             f"num_projects;{len(projects)}", f"num_votes;{len(votes)}", f"budget;{budget}",
             "vote_type;approval", "rule;equalshares/add1", "PROJECTS", "project_id;cost;name"]
    lines += [f"{pid};{cost};Projet {pid}" for pid, cost in projects.items()]
    lines += ["VOTES", "voter_id;vote"] + [f"{voter};{vote}" for voter, vote in votes.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _files(tmp_path, stray_voter: bool = False):
    north = _write(tmp_path / "north.pb", "Nord", {"n1": 300, "n2": 500, "n3": 200}, 700,
                   {"a": "n1,n2", "b": "n2", "c": "n3,n1", "d": "n1"})
    south = _write(tmp_path / "south.pb", "Sud", {"s1": 400, "s2": 400}, 500,
                   {"e": "s1", "f": "s2,s1", "g": "s2"})
    everyone = {"a": "i1", "b": "i1,i2", "c": "i2", "e": "i3,i1", "f": "i1", "g": "i2,i3"}
    if stray_voter:
        everyone["z"] = "i1"
    shared = _write(tmp_path / "all.pb", "Tous", {"i1": 900, "i2": 600, "i3": 300}, 1500,
                    everyone)
    return north, south, shared


def test_each_voter_casts_one_ballot_with_both_choices(app, session, tmp_path):
    north, south, shared = _files(tmp_path)
    result = invoke(app, "import-pb", north, south, "--intercommunal", shared)
    assert result.exit_code == 0, result.output
    cycle = db.session.get(BudgetCycle, int(result.stdout.splitlines()[-1]))
    assert [e.commune.name if e.commune else None for e in cycle.envelopes] \
        == [None, "Nord", "Sud"]
    assert cycle.source["files"] == ["north.pb", "south.pb", "all.pb"]
    assert db.session.scalar(select(func.count()).select_from(Ballot)
                             .where(Ballot.cycle_id == cycle.id)) == 7     # one per voter
    box = tally_result.BallotBox(cycle)
    file_id = dict(db.session.execute(select(Proposal.id, Proposal.external_id)
                                      .where(Proposal.cycle_id == cycle.id)).all())
    ballots = sorted(" ".join(sorted(file_id[pid] for pid, _ in ballot))
                     for ballot, count in box.all.items() for _ in range(count))
    assert ballots == ["i1 i2 n2", "i1 i3 s1", "i1 n1 n2", "i1 s1 s2", "i2 i3 s2", "i2 n1 n3",
                       "n1"]
    # Each envelope tallies the election of its file: voter d, who chose nothing in the
    # intercommunal file, abstains there.
    _, result = tally_result.compute(cycle, "mes-add1")
    for envelope, path in zip(result["envelopes"], (shared, north, south)):
        assert envelope["input"]["ballots"] == canonical_election(
            read_pabulib(path).election)["ballots"]


def test_an_intercommunal_voter_in_no_commune_file_refuses_the_import(app, session, tmp_path):
    north, south, shared = _files(tmp_path, stray_voter=True)
    before = db.session.scalar(select(func.count()).select_from(BudgetCycle))
    result = invoke(app, "import-pb", north, south, "--intercommunal", shared)
    assert result.exit_code == 2
    assert "voter 'z' is in no commune file" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(BudgetCycle)) == before
