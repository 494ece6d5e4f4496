"""The compiled pass over VOTES rows (_mescore.vote_cells, through pabulib_lines.compiled_votes)
reads what the csv path reads, or steps aside: hostile sections drawn by Hypothesis give the same
file or the same error on the same line as the csv path and as the Python pass."""
import io
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, strategies as st

from budget.domain import pabulib, pabulib_lines
from budget.domain.pabulib import PabulibError, ReadLimits, read_pabulib, read_pabulib_text
from budget.domain.tally import _mescore
from tests.domain.test_pabulib_fast_votes import HEAD as PLAIN_HEAD, outcome

# The Python pass's test file, plus a non-ASCII id and an id with a space, under any header.
HEAD = (PLAIN_HEAD.replace("11;100;y\n", "11;100;y\nł1;50;a non-ASCII id\n"
                                        "a b;50;an id with a space\n")
        .replace("voter_id;vote;age\n", "{header}\n"))
HEADERS = ["voter_id;vote;age", "voter_id;vote", "vote;voter_id", "id;vote;age;sex",
           "age;voter_id;vote", "voter_id;vote;vote", "vote"]
HOSTILE_VOTERS = st.sampled_from(["1", "2", "002", "\u00b2", "none", "NONE", "", " 4", "5 ", "x7",
                                  "\ufeff8", "votes", "META", "9", "10,9"]) | st.integers(
                                      0, 10**20).map(str)
IDS = st.sampled_from(["10", "9", "11", "ł1", "a b", ""])
HOSTILE_IDS = st.sampled_from(["12", " 10", "9 ", "none", "None", "10\u00a0", "10;9", '"9"',
                               "9\x00", "9\r", "\ufeff9"])
OTHER = st.sampled_from(["", "30", "M", "Łódź"])
HOSTILE_OTHER = st.sampled_from(['"q"', '"a;b"', "a\rb", "\x00", "\ufeff", " ", "\u2028",
                                 "x" * 40, "a\n", "VOTES"])
ENDS = st.sampled_from(["\n"] * 6 + ["\r\n", "\r", ""])


@st.composite
def sections(draw):
    """(a VOTES header, its rows): the cells its columns hold in real files, and in one section
    out of three hostile ones here and there (and rows cut short or made long, odd line ends,
    blank lines)."""
    header = draw(st.sampled_from(HEADERS))
    hostile = draw(st.integers(0, 2)) == 0

    def cell(strategy, bad):
        return draw(st.one_of(strategy, strategy, strategy, bad) if hostile else strategy)

    lines, first = [], draw(st.integers(0, 10**6))
    for number in range(draw(st.integers(0, 8))):
        cells = []
        for at, column in enumerate(header.split(";")):
            if column == "voter_id" or (at == 0 and column != "vote"):
                cells.append(cell(st.just(str(first + number)), HOSTILE_VOTERS))
            elif column == "vote":
                cells.append(",".join(cell(IDS, HOSTILE_IDS)
                                      for _ in range(draw(st.integers(0, 4)))))
            else:
                cells.append(cell(OTHER, HOSTILE_OTHER))
        if hostile and draw(st.integers(0, 3)) == 0:
            cells = cells[:draw(st.integers(0, len(cells)))] + draw(st.lists(OTHER, max_size=2))
        lines.append(";".join(cells) + (draw(ENDS) if hostile else "\n"))
        if hostile and draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["\n", " \n", "\t\n", ";\n", "\r\n"])))
    return header, "".join(lines)


# bytes that are not UTF-8 (a lone lead or continuation byte, an overlong form, a surrogate,
# past U+10FFFF), or a 4-byte character: put somewhere in the section
BYTES = st.sampled_from([b"\xff", b"\xc3", b"\x80", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80",
                         b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xe2\x82", b"\xf0\x9f\x98\x80",
                         b"\xef\xbb\xbf"])


def read_three_ways(path: Path, data: bytes, limit: int | None):
    """(csv path, compiled pass, Python pass) outcomes of the file `data`."""
    path.write_bytes(data)
    expected = outcome(lambda: pabulib._read(io.BytesIO(data), limit))
    compiled = outcome(lambda: read_pabulib(path, ReadLimits(max_line_chars=limit)))
    with mock.patch.object(pabulib_lines, "_mescore", None):
        python = outcome(lambda: read_pabulib(path, ReadLimits(max_line_chars=limit)))
    return expected, compiled, python


@given(vote_type=st.sampled_from(["approval", "ordinal"]), section=sections(),
       limit=st.sampled_from([None, None, 12, 60]),
       garbage=st.one_of(st.none(), st.none(), st.tuples(BYTES, st.integers(0, 400))))
def test_hostile_sections_read_as_the_csv_path_does(tmp_path, vote_type, section, limit, garbage):
    header, rows = section
    data = (HEAD.format(vote_type=vote_type, header=header) + rows).encode()
    if garbage:
        at = len(data) - min(garbage[1], len(data) - data.index(b"VOTES"))
        data = data[:at] + garbage[0] + data[at:]
    expected, compiled, python = read_three_ways(tmp_path / "file.pb", data, limit)
    assert compiled == expected
    assert python == expected
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return
    assert outcome(lambda: read_pabulib_text(text)) == outcome(
        lambda: pabulib._read(io.StringIO(text, newline=""), None))


def votes_file(rows: str, vote_type: str = "approval", header: str = "voter_id;vote;age"):
    return HEAD.format(vote_type=vote_type, header=header) + rows


def compiled_rows(rows: str, **options):
    """compiled_votes over the VOTES rows `rows`, read as read_pabulib reads a path."""
    data = votes_file(rows, **options).encode()
    calls, real = [], pabulib_lines.compiled_votes

    def spy(reader, data, start):
        calls.append(real(reader, data, start))
        return calls[-1]

    with mock.patch.object(pabulib_lines, "compiled_votes", spy):
        try:
            pabulib._read(io.BytesIO(data), None, data=data)
        except PabulibError:
            pass
    assert len(calls) == 1
    return calls[0]


def test_plain_rows_give_each_distinct_ballot_and_its_count():
    grouped, newlines = compiled_rows("1;10,9;30\n2;9,10;\n3;11;\n4;;7\n5;9,,10,;\r\n6;ł1,a b;\n")
    assert grouped == {frozenset({"10", "9"}): 3, frozenset({"11"}): 1, frozenset(): 1,
                       frozenset({"ł1", "a b"}): 1}
    assert newlines == 6
    grouped, _ = compiled_rows("1;10,9,10;\n2;9,10;\n3;10,9\n", vote_type="ordinal")
    assert list(grouped.items()) == [(("10", "9"), 2), (("9", "10"), 1)]


def test_ballots_are_made_of_the_projects_own_id_strings():
    data = votes_file("1;10,9;30\n").encode()
    pb = pabulib._read(io.BytesIO(data), None, data=data)
    [(ballot, _)] = pb.election.ballots
    assert all(any(pid is key for key in pb.projects) for pid in ballot)


@pytest.mark.parametrize("rows", [
    b'1;10;"x"\n', b"1;10\r2;9\n", b"1;10;\x00\n", b"1;10;\xff\n", b"1;10;3;4\n", b"1\n",
    b"x1;10\n", b"1;10\n1;9\n", b"1;12\n", b"1; 10\n", b"1;none\n", b" \n", "\u00b2;10\n".encode(),
    b"1;10;" + b"x" * 200 + b"\n", b"1;10\n2;9\r", b"\xef\xbb\xbf1;10\n",
], ids=repr)
def test_steps_aside_from_anything_not_plain(rows):
    data = votes_file("").encode() + rows
    reader = pabulib._Reader(io.BytesIO(data), 100, data=data)
    try:
        reader.read()
    except PabulibError:
        pass
    assert reader.grouped is None


def test_a_vote_cell_may_name_many_projects_and_the_tables_grow():
    ids = [str(n) for n in range(1, 3000)]
    head = "META\nkey;value\nvote_type;approval\nbudget;10\nPROJECTS\nproject_id;cost\n"
    rows = "".join(f"{n};{','.join(ids[:n % 2999 + 1])}\n" for n in range(1, 3001))
    text = head + "".join(f"{pid};1\n" for pid in ids) + "VOTES\nvoter_id;vote\n" + rows
    data = text.encode()
    pb = pabulib._read(io.BytesIO(data), None, data=data)
    assert pb.election == pabulib._read(io.BytesIO(data), None).election
    assert max(map(len, (ballot for ballot, _ in pb.election.ballots))) == 2999


def test_ids_repeated_in_a_cell_count_once_and_cost_no_more_than_their_reading():
    """A repeat is found by the project's mark (the ballot's number), not by comparing each id
    with those already named: 40,000 repeats of two ids are read as a short cell is."""
    cell = ",".join(["10", "9"] * 20_000)  # 100,000 characters: under the csv field limit
    grouped, _ = compiled_rows(f"1;{cell};\n2;9,11,9;\n3;11,9,11,10;\n", vote_type="ordinal")
    assert list(grouped.items()) == [(("10", "9"), 1), (("9", "11"), 1), (("11", "9", "10"), 1)]
    grouped, _ = compiled_rows(f"1;{cell};\n2;9,10,9;\n")
    assert grouped == {frozenset({"10", "9"}): 2}


def test_refuses_arguments_out_of_range():
    assert _mescore.vote_cells(b"1;9\n", 5, {"9": "9"}, 2, 0, 1, False, 100) is None
    assert _mescore.vote_cells(b"1;9\n", 0, {"9": "9"}, 2, 0, 2, False, 100) is None
    assert _mescore.vote_cells(b"1;9\n", 0, {"\ud800": "x"}, 2, 0, 1, False, 100) is None
    assert _mescore.vote_cells(b"1;9\n", 0, {"9": "9"}, 2, 0, 1, False, 100) == (
        {frozenset({"9"}): 1}, 1)


@given(st.binary(max_size=12))
def test_any_bytes_outside_the_read_cells_are_plain_exactly_when_python_decodes_them(junk):
    data = b"1;9;" + junk + b";\n"
    try:
        text = junk.decode()
    except UnicodeDecodeError:
        text = None
    plain = text is not None and not any(c in text for c in '"\r\x00;\n')
    result = _mescore.vote_cells(data, 0, {"9": "9"}, 4, 0, 1, False, 100)
    assert (result is not None) == plain


@pytest.mark.parametrize("length", [131_000, 140_000])
def test_a_line_past_the_csv_field_limit_is_left_to_the_csv_path(tmp_path, length):
    """csv.field_size_limit() (131,072 characters): the csv path refuses a longer field."""
    ids = ("9," * length)[:length].rstrip(",")
    data = votes_file(f"1;10;\n2;{ids};\n").encode()
    expected, compiled, python = read_three_ways(tmp_path / "file.pb", data, None)
    assert compiled == expected and python == expected
    assert (expected[0] == "error") == (length > 131_072)
