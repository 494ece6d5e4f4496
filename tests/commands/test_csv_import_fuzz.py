"""Fuzzing the CSV importers (territories, census lists) with mutated real files: truncated,
bytes flipped, lines deleted or repeated, huge cells, other encodings, a BOM, other separators
and line endings, stray quotes, NUL characters. Every file is either imported whole or refused
with a DomainError (each problem of a malformed line naming that line), and a refused file
leaves every table as it was. Nothing else may be raised."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from hypothesis import event, example, given, settings, strategies as st

from budget.domain import csv_lines
from budget.domain.census_file import read_census
from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.errors import DomainError
from budget.domain.phases import Phase
from budget.domain.territory_csv import TerritoryFileError, parse
from budget.extensions import db
from budget.services import census, territories
from tests import factories
from tests.commands.helpers import DATA
from tests.conftest import table_snapshot, undone

TERRITORIES = (DATA / "territories_dgcl_sample.csv").read_bytes()
OUR_TERRITORIES = ("code_insee,nom_commune,population,siren_epci,nom_epci\n"
                   "2A004,Ajaccio,71361,200066389,CA du Pays Ajaccien\n"
                   "2A006,Alata,3310,200066389,CA du Pays Ajaccien\n").encode()
BIRTHS = [date(1940, 1, 1) + timedelta(days=397 * n) for n in range(12)]
CENSUS = ("identifiant;date_de_naissance\n"
          + "".join(f"NORD-{n};{birth:%d/%m/%Y}\n" for n, birth in enumerate(BIRTHS))
          + f"NORD-3;{BIRTHS[3]:%Y-%m-%d}\nAB 12.345-c;1999-12-31\n\"NORD;99\";01/01/2000\n"
          ).encode()
ODD_CELLS = ["", "-1", "1e9", "9" * 40, "NaN", '"', '"a;b"', ";;", "é" * 300, "\ufeff",
             "  7  ", "31/02/2000", "2999-01-01", "\\N", "2A", "x" * 3_000, "²", "١٢٣٤٥",
             "2147483648"]
ENCODINGS = ["latin-1", "cp1252", "utf-16", "utf-8-sig", "mac_roman"]


@st.composite
def mutated(draw, originals: list[bytes]) -> bytes:
    data = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(1, 3))):
        lines = data.splitlines(keepends=True)
        kind = draw(st.sampled_from(["truncate", "flip", "delete", "repeat", "huge", "encode",
                                     "cell", "nul", "quote", "separator", "endings"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "truncate":
            data = data[:draw(st.integers(0, len(data)))]
        elif kind == "flip" and data:
            position = draw(st.integers(0, len(data) - 1))
            data = data[:position] + bytes([data[position] ^ draw(st.integers(1, 255))]) + \
                data[position + 1:]
        elif kind == "encode":
            data = data.decode("utf-8", "replace").encode(draw(st.sampled_from(ENCODINGS)),
                                                          "replace")
        elif kind == "separator":
            old, new = draw(st.sampled_from([b";", b","])), draw(st.sampled_from(
                [b",", b";", b"\t", b"|", b""]))
            data = data.replace(old, new)
        elif kind == "endings":
            data = data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"])))
        elif lines:
            if kind == "delete":
                del lines[at]
            elif kind == "repeat":
                lines.insert(at, lines[at])
            elif kind == "huge":
                size = draw(st.sampled_from([1_999, 2_001, 20_000, 200_000]))
                lines[at] = lines[at].rstrip(b"\r\n") + b"x" * size + b"\n"
            elif kind == "nul":
                lines[at] = b"\x00" + lines[at]
            elif kind == "quote":
                position = draw(st.integers(0, len(lines[at])))
                lines[at] = lines[at][:position] + b'"' + lines[at][position:]
            else:  # one cell replaced by an odd value
                separator = b";" if lines[at].count(b";") >= lines[at].count(b",") else b","
                cells = lines[at].rstrip(b"\r\n").split(separator)
                cells[draw(st.integers(0, len(cells) - 1))] = draw(
                    st.sampled_from(ODD_CELLS)).encode()
                lines[at] = separator.join(cells) + b"\n"
            data = b"".join(lines)
    return data


def line_count(data: bytes) -> int:
    """Lines of the file, whatever ends them: CRLF, LF or a lone CR, mixed in one file too."""
    unified = data.replace(b"\r\n", b"\n")
    return unified.count(b"\n") + unified.count(b"\r") + 1


def assert_each_names_its_line(problems: list[DomainError], data: bytes) -> None:
    """A problem of one line says which, within the file; the others are about the file."""
    for problem in problems:
        assert isinstance(problem, DomainError)
        if problem.message.startswith("Line %(line)"):
            assert 1 <= problem.params["line"] <= line_count(data), problem.params
        elif problem.message.startswith("Line 1"):
            continue
        else:
            assert "line" not in problem.params, problem.message
            assert problem.message.startswith("The file"), problem.message


@pytest.fixture
def w(session):
    return factories.world()


@settings(max_examples=3 * settings().max_examples)  # 300 by default
@given(data=mutated([TERRITORIES, OUR_TERRITORIES]))
@example(data=(  # found in CI: line ends mixed (CR, then one LF, then CR), a cut last line
    "dept;siren;raison_sociale;nature_juridique;nb_membres;insee;nom_membre;pmun_2024\r"
    "17;241700459;CC de l'Île de Ré;CC;10;17019;2A;1271\n"
    "17;241700459;CC de l'Île de Ré;CC;10;17051;Le Bois-Plage-en-Ré;2290\r"
    "17;241700459;CC de l'Île de Ré;CC;10;17121;La Couarde-sur-Mer;1200\r"
    "17;241700459;CC de l'Île de Ré;CC;10;17161;La Flotte;2870\r"
    "17;241700459;CC de l'Île de Ré;CC;10;17207;Loix;720\r"
    "17;241700459;CC de l'Île de R").encode() + b"\xc3")
def test_a_mutated_territory_file_is_imported_whole_or_refused_cleanly(w, session, data):
    with undone(session):
        before = table_snapshot()
        try:
            report = territories.import_territories(w.users["admin"], data)
        except TerritoryFileError as error:
            event("refused: lines")
            assert_each_names_its_line(error.problems, data)
            assert table_snapshot() == before
        except DomainError as error:
            event("refused: the file")
            assert_each_names_its_line([error], data)
            assert table_snapshot() == before
        else:
            event("imported")
            rows = parse(data)
            assert report.created_communes + report.updated_communes + \
                report.unchanged_communes == len(rows)
            assert table_snapshot() != before


@pytest.fixture
def census_cycle(w):
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.eligibility = EligibilityRules(proof=Proof.CENSUS).as_params()
    db.session.commit()
    return cycle


@settings(max_examples=3 * settings().max_examples)
@given(data=mutated([CENSUS]))
def test_a_mutated_census_file_is_imported_whole_or_refused_cleanly(w, census_cycle, session,
                                                                  data):
    cycle = census_cycle
    with undone(session):
        before = table_snapshot()
        try:
            report = census.import_census(w.users["northclerk"], cycle, w.north, data)
        except DomainError as error:
            event("refused")
            assert_each_names_its_line(getattr(error, "problems", [error]), data)
            assert table_snapshot() == before
        else:
            event("imported")
            parsed = read_census(data, date.today())
            assert report.added == len(parsed.people) and not parsed.problems
            assert table_snapshot() != before


@pytest.mark.parametrize("line, expected", [
    (2, "Line %(line)d: the line is longer than %(max)d characters."),
    (3, "Line %(line)d: the line contains a NUL character (is the file really a CSV text "
        "file?)."),
])
def test_the_line_limits_are_named_with_their_line(line, expected):
    lines = CENSUS.decode().splitlines(keepends=True)
    lines[line - 1] = ("x" * (csv_lines.MAX_LINE_CHARS + 1) if line == 2 else "\x00") + "\n"
    refused = read_census("".join(lines).encode(), date.today()).problems[-1]
    assert (refused.message, refused.params["line"]) == (expected, line)
    dgcl = TERRITORIES.decode().splitlines(keepends=True)
    dgcl[line - 1] = lines[line - 1]
    with pytest.raises(TerritoryFileError) as refused:
        parse("".join(dgcl).encode())
    assert (refused.value.message, refused.value.params["line"]) == (expected, line)


def test_the_size_limits():
    assert read_census(CENSUS + b"x" * 6 * 1024 * 1024, date.today()).problems[0].message \
        == "The file is larger than 5 MB: split it by commune."
    with pytest.raises(DomainError, match="larger than 5 MB"):
        parse(TERRITORIES + b"x" * 5_000_001)


@pytest.mark.parametrize("population, expected", [
    ("9" * 40, "is larger than any commune's"),  # the insert failed: a server error
    ("2147483648", "is larger than any commune's"),  # beyond PostgreSQL's integer
    ("²", "is not a whole number"),  # a digit to str.isdigit, not to int(): a server error
    ("١٢٣", "is not a whole number"),
])
def test_a_population_the_database_cannot_hold_is_refused(w, session, population, expected):
    data = OUR_TERRITORIES.replace(b"71361", population.encode())
    before = table_snapshot()
    with pytest.raises(TerritoryFileError) as refused:
        territories.import_territories(w.users["admin"], data)
    assert refused.value.params["line"] == 2 and expected in refused.value.message
    assert table_snapshot() == before


def test_lone_carriage_returns_end_lines():
    """Spreadsheets for Mac may end lines with CR alone: the file reads as with LF (it made
    the csv module fail, a server error on upload)."""
    assert read_census(CENSUS.replace(b"\n", b"\r"), date.today()).people == \
        read_census(CENSUS, date.today()).people
    assert parse(TERRITORIES.replace(b"\n", b"\r")) == parse(TERRITORIES)


def test_an_unclosed_quote_names_the_line_it_opens_on():
    text = CENSUS + ("NORD-99;\"01/01/1980\n" + ("y" * 1_900 + "\n") * 100).encode()
    problems = read_census(text, date.today()).problems
    assert problems[-1].params["line"] == 17
    assert "quotation mark" in problems[-1].message


@pytest.mark.parametrize("data", [
    CENSUS.replace(b"NORD-5", b"x" * 200_000),  # a server error before the line limit
    CENSUS.replace(b"\n", b"\r"),
])
def test_the_census_page_answers_with_the_line(w, census_cycle, session, make_browser, data):
    cycle = census_cycle
    browser = make_browser()
    browser.login("northclerk@example.fr")
    before = table_snapshot()
    response = browser.post(f"/staff/cycles/{cycle.id}/communes/{w.north.id}/census",
                            {"census_file": (io.BytesIO(data), "liste.csv")},
                            content_type="multipart/form-data")
    if b"\r" in data:
        assert response.status_code == 302
    else:
        assert response.status_code == 422
        assert "Ligne 7\u202f: la ligne dépasse 2000 caractères." in response.get_data(as_text=True)
        assert table_snapshot() == before
