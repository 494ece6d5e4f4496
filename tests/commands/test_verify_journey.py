"""The promise of the results page, kept the way a citizen meets it: a real election imported,
tallied and published; the page's ZIP downloaded and checked with the fingerprint the page
shows (MATCH); one ballot line changed by hand (MISMATCH, saying what differs)."""
from __future__ import annotations

import io
import re
import zipfile

from budget.domain import recount
from budget.domain.pabulib import read_pabulib, read_pabulib_text
from tests.commands.helpers import DATA, IMPORTS, import_files, invoke

TOULOUSE = IMPORTS / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
MULTI = [DATA / "Netherlands_Amsterdam_179.pb", DATA / "Netherlands_Amsterdam_643.pb"]


def published_page(app, browser, *paths):
    cycle = import_files(app, *paths)
    tallied = invoke(app, "tally", cycle.id, "--publish")
    assert tallied.exit_code == 0, tallied.output
    page = browser.get(f"/cycles/{cycle.id}/results")
    assert page.status_code == 200
    return cycle, page.get_data(as_text=True)


def shown_fingerprints(html: str) -> tuple[str, dict[str, str]]:
    """The run fingerprint and each envelope's, as the page shows them."""
    run = re.search(r'data-run-fingerprint>([0-9a-f]{64})<', html).group(1)
    envelopes = dict(re.findall(r'data-envelope-fingerprint="(\d+)">([0-9a-f]{64})<', html))
    return run, envelopes


def download_zip(browser, html: str, folder):
    """Follow the page's ZIP link; unpack it into folder; return the ZIP's path."""
    link = re.search(r'href="([^"]+\.zip)"', html).group(1)
    response = browser.get(link)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    name = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)
    assert f"budget verify {name} --fingerprint" in html  # the page's command names it
    path = folder / name
    path.write_bytes(response.data)
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(folder / "unzipped")
    return path


def change_one_ballot_line(path) -> str:
    """Add a project to the first ballot that lacks one, as someone editing the file would;
    returns the project added."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("VOTES") + 2
    projects = list(read_pabulib(path).projects)
    for n in range(start, len(lines)):
        voter, vote = lines[n].split(";")
        chosen = vote.split(",")
        missing = [pid for pid in projects if pid not in chosen]
        if missing:
            lines[n] = f"{voter};{','.join([*chosen, missing[0]])}"
            path.write_text("\n".join(lines), encoding="utf-8")
            return missing[0]
    raise AssertionError("every ballot chooses every project")


def test_the_page_folder_verifies_with_the_page_fingerprint_and_a_changed_line_does_not(
        app, session, browser, tmp_path):
    cycle, html = published_page(app, browser, TOULOUSE)
    run_fingerprint, envelopes = shown_fingerprints(html)
    assert run_fingerprint == cycle.published_run.fingerprint
    assert "budget verify resultats-cycle-%d-pabulib.zip --fingerprint %s" % (
        cycle.id, run_fingerprint) in html  # the exact command is on the page
    archive = download_zip(browser, html, tmp_path)

    verified = invoke(app, "verify", archive, "--fingerprint", run_fingerprint)
    assert verified.exit_code == 0, verified.output
    assert "Rule: greedy (read from the files’ META)" in verified.stdout
    assert f"MATCH: the file gives the run fingerprint {run_fingerprint}" in verified.stdout

    [pb] = (tmp_path / "unzipped").glob("*.pb")  # one envelope: its file gives both
    [(envelope_id, envelope_fingerprint)] = envelopes.items()
    assert invoke(app, "verify", pb, "--fingerprint", run_fingerprint).exit_code == 0
    assert invoke(app, "verify", pb, "--fingerprint", envelope_fingerprint).exit_code == 0

    added = change_one_ballot_line(pb)
    changed = invoke(app, "verify", tmp_path / "unzipped", "--fingerprint", run_fingerprint)
    assert changed.exit_code == 1, changed.output
    assert "MISMATCH" in changed.stdout
    assert "the file was changed after the export" in changed.stdout
    assert f"project {added} has" in changed.stdout and "a ballot line was changed" \
        in changed.stdout


def test_a_run_of_several_envelopes_verifies_as_a_folder_not_as_one_file(
        app, session, browser, tmp_path):
    cycle, html = published_page(app, browser, *MULTI)
    run_fingerprint, envelopes = shown_fingerprints(html)
    assert len(envelopes) == 2
    archive = download_zip(browser, html, tmp_path)
    assert invoke(app, "verify", archive, "--fingerprint", run_fingerprint).exit_code == 0
    folder = invoke(app, "verify", tmp_path / "unzipped", "--fingerprint", run_fingerprint)
    assert folder.exit_code == 0, folder.output
    assert f"MATCH: the files give the run fingerprint {run_fingerprint}" in folder.stdout

    first, second = sorted((tmp_path / "unzipped").glob("*.pb"))
    facts = recount.decode(read_pabulib(first).meta)
    alone = invoke(app, "verify", first, "--fingerprint", run_fingerprint)
    assert alone.exit_code == 1
    assert "verify the folder of all its .pb files" in alone.stdout
    own = invoke(app, "verify", first, "--fingerprint", envelopes[facts["envelope_id"]])
    assert own.exit_code == 0, own.output

    second.unlink()
    missing = invoke(app, "verify", tmp_path / "unzipped", "--fingerprint", run_fingerprint)
    assert missing.exit_code == 1
    other_id = recount.decode(read_pabulib(first).meta)["run_envelopes"].replace(
        facts["envelope_id"], "").strip(",")
    assert f"envelope(s) {other_id} of the run are missing" in missing.stdout


def test_an_export_keeps_the_source_file_dates_and_project_ids(app, session, tmp_path):
    source = read_pabulib(TOULOUSE)
    cycle = import_files(app, TOULOUSE)
    assert invoke(app, "tally", cycle.id, "--publish").exit_code == 0
    exported = invoke(app, "export", cycle.id, "--format", "pb", "--output", tmp_path)
    assert exported.exit_code == 0, exported.output
    [path] = tmp_path.glob("*.pb")
    again = read_pabulib_text(path.read_text(encoding="utf-8"))
    for key in ("date_begin", "date_end", "instance", "currency", "description", "subunit"):
        assert again.meta[key] == source.meta[key], key
    assert list(again.projects) != [] and set(again.projects) == set(source.projects)
    for pid, cells in source.projects.items():
        for column in ("name", "category", "district"):
            assert again.projects[pid][column] == cells[column]
