"""Fuzzing the Pabulib importer with mutated real files (truncated, bytes flipped, lines deleted
or repeated, huge fields, other encodings, odd cell values): every file is either imported whole
or refused with ImportRefused (the line named when the file is malformed), and a refused import
leaves the database as it was. Nothing else may be raised."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import event, given, settings, strategies as st

from budget.domain.pabulib import ReadLimits
from budget.services.import_plan import ImportRefused, plan_import
from budget.services.importing import import_elections
from tests.conftest import table_snapshot, undone
from tests.commands.helpers import DATA, invoke

# Small real files of every supported kind (approval, choose-1, cumulative) and one refused.
FILES = [DATA / name for name in (
    "Netherlands_Amsterdam_643.pb", "Netherlands_Assen_2024.pb",
    "Worldwide_Mechanical_Turk_Utilities_7.pb",
    "US_Stanford_Dataset_PB_Chicago_10th_Ward_2017_vote_approvals.pb",
    "Switzerland_Zurich_S5R.pb")]  # the last one is ordinal: refused
ORIGINALS = {path.name: path.read_bytes() for path in FILES}
LIMITS = ReadLimits(max_bytes=1_000_000, max_line_chars=10_000)
ODD_CELLS = ["", "none", "-1", "0", "0,5", "1e9", "9" * 40, "NaN", "∞", '"', '"a;b"', ";;",
             "x" * 70, "é" * 5_000, "1,2,3", "\ufeff", "  7  ", "\\N"]
ENCODINGS = ["latin-1", "cp1250", "utf-16", "utf-32", "mac_roman"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(ORIGINALS)))
    data = ORIGINALS[name]
    lines = data.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "flip", "delete", "repeat", "huge", "encode",
                                     "cell", "nul"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "truncate":
            data = data[:draw(st.integers(0, len(data)))]
            lines = data.splitlines(keepends=True)
            continue
        if kind == "flip" and data:
            position = draw(st.integers(0, len(data) - 1))
            data = data[:position] + bytes([data[position] ^ draw(st.integers(1, 255))]) + \
                data[position + 1:]
            lines = data.splitlines(keepends=True)
            continue
        if kind == "encode":
            data = data.decode("utf-8", "replace").encode(draw(st.sampled_from(ENCODINGS)),
                                                          "replace")
            lines = data.splitlines(keepends=True)
            continue
        if not lines:
            continue
        if kind == "delete":
            del lines[at]
        elif kind == "repeat":
            lines.insert(at, lines[at])
        elif kind == "huge":
            size = draw(st.sampled_from([5_000, 20_000, 200_000]))
            lines[at] = lines[at].rstrip(b"\r\n") + b"x" * size + b"\n"
        elif kind == "nul":
            lines[at] = b"\x00" + lines[at]
        else:  # one cell replaced by an odd value
            cells = lines[at].rstrip(b"\r\n").split(b";")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(
                st.sampled_from(ODD_CELLS)).encode()
            lines[at] = b";".join(cells) + b"\n"
        data = b"".join(lines)
    return name, data


@settings(max_examples=3 * settings().max_examples)  # 300 by default: each one imports a file
@given(mutated())
def test_a_mutated_file_is_imported_whole_or_refused_cleanly(app, session, tmp_path,
                                                            mutation):
    name, data = mutation
    path = tmp_path / name
    path.write_bytes(data)
    with undone(session):
        before = table_snapshot()
        try:
            plan = plan_import([path], limits=LIMITS)
            import_elections(plan)
        except ImportRefused as error:
            event("refused, with a line" if error.line else "refused")
            message = str(error)
            assert message.startswith(f"{name}: ") or message.startswith("the database")
            if error.line is not None:
                assert f"line {error.line}:" in message
            assert table_snapshot() == before
        else:
            event("imported")
            assert table_snapshot() != before


def test_the_limits_are_configurable_and_named_in_the_refusal(app, session, tmp_path):
    path = tmp_path / "long.pb"
    path.write_bytes(ORIGINALS["Netherlands_Amsterdam_643.pb"].replace(
        b"Buurtbudget Sloterdijk", b"Buurtbudget " + b"x" * 300))
    before = table_snapshot()
    app.config["PABULIB_MAX_LINE_CHARS"] = 200
    try:
        result = invoke(app, "import-pb", path)
    finally:
        app.config["PABULIB_MAX_LINE_CHARS"] = 100_000
    assert result.exit_code == 2
    assert "long.pb: line 3: the line is longer than 200 characters" in result.stderr
    app.config["PABULIB_MAX_FILE_BYTES"] = 1_000
    try:
        result = invoke(app, "import-pb", path)
    finally:
        app.config["PABULIB_MAX_FILE_BYTES"] = 200 * 1024 * 1024
    assert result.exit_code == 2 and re.search(
        r"long\.pb: the file has [\d,]+ bytes, more than the limit of 1,000", result.stderr)
    assert table_snapshot() == before


@pytest.mark.parametrize("replace, expected", [
    ((b"budget;5720", b"budget;99999999999"), "is not between 1 and 2,147,483,647"),
    ((b"44251", b"9" * 80), "a project id has 80 characters, more than 64"),
    ((b"Sloterdijk", b"Sloter\x00dijk"), "line 3: the line contains a NUL character"),
    ((b"Sloterdijk", "Sloterdijk é".encode("latin-1")), "line 3: the file is not UTF-8 text"),
])
def test_values_the_database_cannot_store_are_refused_before_writing(app, session, tmp_path,
                                                                     replace, expected):
    path = tmp_path / "odd.pb"
    path.write_bytes(ORIGINALS["Netherlands_Amsterdam_643.pb"].replace(*replace))
    before = table_snapshot()
    result = invoke(app, "import-pb", path)
    assert result.exit_code == 2 and expected in result.stderr, result.output
    assert "Traceback" not in result.output and table_snapshot() == before


def test_the_real_files_still_import(app, session):
    for path in FILES[:-1]:
        with undone(session):
            plan = plan_import([Path(path)], limits=LIMITS)
            assert import_elections(plan).ballots > 0
