"""Every text cell of a CSV written for spreadsheets is inert."""
import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from budget.domain.spreadsheet_csv import FORMULA_STARTS, SafeWriter, safe_cell


def test_formula_starts_get_a_quote_and_numbers_do_not():
    assert safe_cell('=HYPERLINK("http://evil.example")') == '\'=HYPERLINK("http://evil.example")'
    assert safe_cell("  +33 1 23") == "'  +33 1 23"
    assert safe_cell("\uff1d1+1") == "'\uff1d1+1"
    assert safe_cell(-5) == -5 and safe_cell(None) is None
    assert safe_cell("Nordville") == "Nordville" and safe_cell("") == ""


@given(st.lists(st.one_of(st.text(), st.integers()), max_size=6))
def test_no_written_text_cell_starts_a_formula(row):
    out = io.StringIO(newline="")
    SafeWriter(out, delimiter=";").writerow(row)
    [read] = csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";")
    for sent, cell in zip(row, read):
        if isinstance(sent, str):
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS)
            assert cell in (sent, "'" + sent)
