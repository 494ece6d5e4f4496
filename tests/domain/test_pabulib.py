"""The Pabulib reader (quirks of real files, malformed files named by line) and the writer."""
import io
from fractions import Fraction
from pathlib import Path

import pytest

from budget.domain.pabulib import PabulibError, read_pabulib, read_pabulib_text, write_pabulib

DATA = Path(__file__).parent.parent / "data"

GOOD = """META
key;value
description;test
vote_type;approval
budget;1000,5
num_votes;3
num_projects;2
PROJECTS
project_id;cost;name
10;600;"Park; with a bench"
9;500;none
VOTES
voter_id;vote
1;10,9
2;10
3;
"""


def lines_with(replace: str, by: str) -> str:
    assert replace in GOOD
    return GOOD.replace(replace, by)


def test_reads_meta_projects_and_grouped_ballots():
    pb = read_pabulib_text(GOOD)
    assert pb.meta["vote_type"] == "approval"
    assert pb.election.budget == Fraction(2001, 2)
    assert pb.projects["10"]["name"] == "Park; with a bench"
    assert "name" not in pb.projects["9"]               # a `none` cell is missing
    assert pb.election.costs == {"10": 600, "9": 500}
    assert pb.election.voter_count == 3                 # the empty ballot counts
    assert dict(pb.election.ballots)[frozenset({"10", "9"})] == 1
    assert pb.warnings == []


def test_quirks_bom_crlf_spaces_and_choose_1():
    text = "\ufeff" + lines_with("vote_type;approval", "vote_type; choose-1 ").replace("\n", "\r\n")
    pb = read_pabulib(io.StringIO(text.replace("1;10,9", "1; 10 , 9 "), newline=""))
    assert pb.election.vote_type == "approval"
    assert frozenset({"10", "9"}) in dict(pb.election.ballots)


def test_warns_when_num_votes_does_not_match():
    pb = read_pabulib_text(lines_with("num_votes;3", "num_votes;4"))
    assert pb.warnings == ["META says num_votes=4 but the file has 3"]


@pytest.mark.parametrize("replace,by,line,message", [
    ("META\n", "", 1, "starts with a META"),
    ("vote_type;approval", "vote_type;borda", 4, "unknown vote_type"),
    ("budget;1000,5", "budget;lots", 5, "budget is not a number"),
    ("budget;1000,5\n", "", 7, "no 'budget'"),
    ("9;500;none", "9;5x0;none", 11, "cost of project '9' is not a number"),
    ("9;500;none", "10;500;none", 11, "listed twice"),
    ("9;500;none", "9;-5;none", 11, "negative cost"),
    ("2;10\n", "2;10,77\n", 15, "unknown project '77'"),
    ("2;10\n", "2;10;extra\n", 15, "3 cells but the VOTES header has 2"),
    ("voter_id;vote\n", "voter_id;ballot\n", 13, "no 'vote' column"),
    ("VOTES\n", "PROJECTS\n", 12, "section PROJECTS out of place"),
    ("3;\n", "1;\n", 16, "voter '1' is listed twice .first on line 14."),
    ("3;\n", " 2 ;9\n", 16, "voter '2' is listed twice .first on line 15."),
])
def test_malformed_files_name_the_line(replace, by, line, message):
    with pytest.raises(PabulibError, match=message) as caught:
        read_pabulib_text(lines_with(replace, by))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}:")


def test_a_truncated_file_is_rejected_not_half_read():
    with pytest.raises(PabulibError, match="ends early: no VOTES"):
        read_pabulib_text(GOOD.split("VOTES")[0])


def test_cumulative_points_must_match_the_vote():
    text = lines_with("vote_type;approval", "vote_type;cumulative")
    text = text.replace("voter_id;vote\n1;10,9\n2;10\n3;\n",
                        "voter_id;vote;points\n1;10,9;3,2\n2;10;1,1\n")
    with pytest.raises(PabulibError, match="1 projects but 2 points") as caught:
        read_pabulib_text(text)
    assert caught.value.line == 15


def test_not_utf8_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "latin1.pb"
    path.write_bytes(GOOD.replace("bench", "banc é").encode("latin-1"))
    with pytest.raises(PabulibError, match="not UTF-8"):
        read_pabulib(path)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_writer_round_trip(tmp_path, path):
    pb = read_pabulib(path)
    out = tmp_path / path.name
    write_pabulib(out, pb.election, pb.meta, pb.projects)
    again = read_pabulib(out)
    assert again.election.costs == pb.election.costs
    assert again.election.budget == pb.election.budget
    assert again.election.vote_type == pb.election.vote_type
    key = (lambda b: tuple(sorted(b.items()))) if pb.election.vote_type in (
        "cumulative", "scoring") else (lambda b: b)
    assert sorted((key(b), n) for b, n in again.election.ballots) == \
        sorted((key(b), n) for b, n in pb.election.ballots)
    assert again.meta["num_votes"] == str(pb.election.voter_count)


def test_written_file_is_read_by_pabutools(tmp_path):
    from pabutools.election import parse_pabulib
    pb = read_pabulib(DATA / "Poland_Krakow_2023_Czyzyny.pb")
    out = tmp_path / "out.pb"
    write_pabulib(out, pb.election, pb.meta, pb.projects)
    instance, profile = parse_pabulib(str(out))
    assert instance.budget_limit == pb.election.budget
    assert len(profile) == pb.election.voter_count


def test_written_file_passes_pabulib_checker(tmp_path):
    from pabulib.checker import Checker
    pb = read_pabulib(DATA / "Netherlands_Assen_2024.pb")
    out = tmp_path / "assen.pb"
    write_pabulib(out, pb.election, pb.meta, pb.projects)
    results = Checker().process_files([str(out)])
    report = results[next(k for k in results if k not in ("summary", "metadata"))]
    assert report["results"]["errors"] == {}, report
    assert results["metadata"]["valid"] == 1
