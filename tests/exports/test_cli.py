"""`flask budget export`: writes every format from a stored run, fails cleanly otherwise."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from budget.domain import recount
from budget.domain.pabulib import read_pabulib


@pytest.fixture
def export(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["budget", "export", *map(str, args)])


def test_writes_every_format_of_the_published_run(export, published, tmp_path):
    cycle, run = published.cycle, published.run
    for name in ("csv", "xlsx", "pdf", "json"):
        path = tmp_path / f"resultats.{name}"
        result = export(cycle.id, "--format", name, "--output", path)
        assert result.exit_code == 0, result.output
        assert run.fingerprint in result.output
        assert path.stat().st_size > 0
    assert run.fingerprint in (tmp_path / "resultats.csv").read_text(encoding="utf-8-sig")
    book = load_workbook(tmp_path / "resultats.xlsx")
    assert len(book.sheetnames) == 1 + len(run.result["envelopes"])
    pdf = PdfReader(io.BytesIO((tmp_path / "resultats.pdf").read_bytes()))
    assert run.fingerprint in "".join(page.extract_text() for page in pdf.pages)
    document = json.loads((tmp_path / "resultats.json").read_text(encoding="utf-8"))
    assert document["tally"]["fingerprint"] == run.fingerprint
    assert document["status"] == "published"


def test_pb_writes_one_file_per_envelope(export, published, tmp_path):
    folder = tmp_path / "pabulib"
    result = export(published.cycle.id, "--format", "pb", "--output", folder)
    assert result.exit_code == 0, result.output
    files = sorted(folder.iterdir())
    assert len(files) == len(published.run.result["envelopes"])
    fingerprints = {recount.decode(read_pabulib(path).meta)["fingerprint"] for path in files}
    assert fingerprints == {e["fingerprint"] for e in published.run.result["envelopes"]}


def test_without_a_published_run_it_says_so(export, tallied, tmp_path):
    path = tmp_path / "resultats.pdf"
    result = export(tallied.cycle.id, "--format", "pdf", "--output", path)
    assert result.exit_code == 2
    assert "no published tally run" in result.output
    assert str(tallied.run.id) in result.output, "it names the runs that could be exported"
    assert not path.exists()


def test_an_unpublished_run_is_exported_as_a_preview(export, tallied, tmp_path):
    path = tmp_path / "apercu.json"
    result = export(tallied.cycle.id, "--format", "json", "--output", path, "--run",
                    tallied.run.id)
    assert result.exit_code == 0, result.output
    assert "preview" in result.output
    assert json.loads(path.read_text(encoding="utf-8"))["status"] == "preview"


@pytest.mark.parametrize("args, message", [
    (["999999", "--format", "csv"], "No budget cycle has the id 999999"),
    (["{cycle}", "--format", "csv", "--run", "999999"], "is not a run of cycle"),
    (["{cycle}", "--format", "docx"], "Invalid value for '--format'"),
])
def test_clear_errors(export, published, tmp_path, args, message):
    args = [a.format(cycle=published.cycle.id) for a in args]
    result = export(*args, "--output", tmp_path / "out")
    assert result.exit_code == 2
    assert message in result.output


def test_output_must_fit_the_format(export, published, tmp_path):
    result = export(published.cycle.id, "--format", "pdf", "--output", tmp_path)
    assert result.exit_code == 2 and "is a folder" in result.output
    a_file = tmp_path / "taken.pb"
    a_file.write_text("")
    result = export(published.cycle.id, "--format", "pb", "--output", a_file)
    assert result.exit_code == 2 and "is a file" in result.output


def test_unwritable_output_exits_1(export, published, tmp_path):
    result = export(published.cycle.id, "--format", "csv", "--output",
                    tmp_path / "missing-folder" / "resultats.csv")
    assert result.exit_code == 1
    assert "Cannot write" in result.output


def test_export_progress_only_when_asked_off_a_terminal(export, published, tmp_path):
    quiet = export(published.cycle.id, "--format", "pb", "--output", tmp_path / "a")
    assert quiet.exit_code == 0, quiet.output
    assert "Writing" not in quiet.stderr
    shown = export(published.cycle.id, "--format", "pb", "--output", tmp_path / "b",
                   "--progress")
    count = len(published.run.result["envelopes"])
    assert "Writing envelopes" in shown.stderr and f"{count}/{count}" in shown.stderr
    assert shown.stdout.count("Wrote ") == count
