"""The VOTES section read without the csv module (pabulib_lines.fast_votes) gives what the
csv path gives: the same file, or the same error on the same line."""
import io
from pathlib import Path
from unittest import mock

import pytest

from budget.domain import pabulib, pabulib_lines
from budget.domain.pabulib import PabulibError, ReadLimits, read_pabulib, read_pabulib_text

HEAD = """META
key;value
vote_type;{vote_type}
budget;1000
PROJECTS
project_id;cost;name
10;600;"Park; with a bench"
9;500;x
11;100;y
VOTES
voter_id;vote;age
"""

ROWS = [
    "1;10,9;30\n2;10;\n3;;\n4;9,10,10;41\n",                 # plain, empty vote, repeats
    "1;10,9\n\n   \n2; 10 , 9 ;5\n",                          # blank lines, spaces around ids
    "1;10,9\r\n2;9\r\n",                                       # CRLF
    "1;10\r2;9\n",                                             # a lone carriage return
    '1;"10,9";3\n2;9\n',                                       # a quoted vote
    '1;"10\n9";3\n2;9\n',                                      # a quote across lines
    "none;10\nNONE;9\n;11\n;11\n",                             # voters without id
    "1;10\n2;9\n1;11\n",                                       # a voter twice
    "1;10\n2;12\n",                                            # an unknown project
    "1;10;3;extra\n",                                          # more cells than the header
    "1;10\nvotes;9\n",                                         # a section out of place
    "1;10\n2;none\n3; NONE \n",                                # `none` votes
    "1;10\n2;9,,11,\n",                                        # empty entries
    "1;10\n2;9\x00\n",                                         # a NUL
    "1\n2;9\n",                                                # a row without its vote
    # Whole rows and digit voters, read a column at a time (_whole_columns), or not:
    "1;10,9;30\n2;9,10;31\n3;11;\n4;10,9;\n",                  # one ballot, two spellings
    "1;10;\n2;9;\n1;11;\n",                                    # a voter twice, whole rows
    "1;10;\n002;9;\n2;11;\n",                                  # 002 is not 2
    "1;10;\n\u00b2;9;\n",                                       # a digit that is not 0-9
    "1;10;\n2;9;",                                             # no last newline
    "1;10;\n2;9,12;\n",                                         # an unknown id, whole rows
]


def outcome(read):
    try:
        pb = read()
    except PabulibError as error:
        return "error", str(error), error.line
    return pb.meta, pb.projects, pb.election, pb.warnings


@pytest.mark.parametrize("vote_type", ["approval", "ordinal"])
@pytest.mark.parametrize("rows", ROWS)
def test_fast_votes_read_as_the_csv_path_does(tmp_path, vote_type, rows):
    text = HEAD.format(vote_type=vote_type) + rows
    path = tmp_path / "file.pb"
    path.write_bytes(text.encode())
    # A binary stream goes through the csv module row by row: the reference.
    expected = outcome(lambda: pabulib._read(io.BytesIO(text.encode()), None))
    assert outcome(lambda: read_pabulib(path)) == expected
    assert outcome(lambda: read_pabulib_text(text)) == outcome(
        lambda: pabulib._read(io.StringIO(text, newline=""), None))
    with mock.patch.object(pabulib_lines, "_mescore", None):    # the Python pass
        assert outcome(lambda: read_pabulib(path)) == expected


@pytest.mark.parametrize("rows", ["vote\n10,9\n\n  \n9\n;\n", "vote;voter_id\n10;1\n\n9;2\n9\n"])
def test_fast_votes_with_the_vote_first(tmp_path, rows):
    text = HEAD.format(vote_type="approval").replace("voter_id;vote;age\n", rows)
    path = tmp_path / "file.pb"
    path.write_text(text)
    assert outcome(lambda: read_pabulib(path)) == outcome(
        lambda: pabulib._read(io.BytesIO(text.encode()), None))


def test_fast_votes_keep_the_line_limit(tmp_path):
    path = tmp_path / "file.pb"
    path.write_text(HEAD.format(vote_type="approval") + "1;10\n2;" + "9," * 60 + "9\n")
    with pytest.raises(PabulibError, match="line 13: the line is longer than 100 characters"):
        read_pabulib(path, ReadLimits(max_line_chars=100))
    assert read_pabulib(path, ReadLimits(max_line_chars=200)).election.ballots


def test_a_project_named_none_is_read_by_the_csv_path(tmp_path):
    text = HEAD.format(vote_type="approval").replace("11;100;y", "None;100;y") + "1;None\n2;9\n"
    path = tmp_path / "file.pb"
    path.write_text(text)
    assert outcome(lambda: read_pabulib(path)) == outcome(
        lambda: pabulib._read(io.BytesIO(text.encode()), None))


COLLECTION = Path("/work/shared/pabulib")      # the large files: read where they are kept


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parents[1].glob("data/*.pb"))
                         + sorted(COLLECTION.glob("*.pb")), ids=lambda p: p.stem)
def test_real_files_read_as_the_csv_path_does(path):
    expected = outcome(lambda: pabulib._read(io.BytesIO(path.read_bytes()), None))
    assert outcome(lambda: read_pabulib(path)) == expected
    with mock.patch.object(pabulib_lines, "_mescore", None):    # the Python pass
        assert outcome(lambda: read_pabulib(path)) == expected
