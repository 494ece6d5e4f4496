"""Published exports are built once per run, format, language (and envelope), stored under
EXPORT_CACHE_FOLDER, and served from there: the second download builds nothing and gives the
same bytes. Previews (unpublished runs) are built at each download and never stored."""
from __future__ import annotations

import dataclasses

import pytest

import budget.services.exports as exports
from tests.conftest import someone
from tests.exports.conftest import EN

URLS = {"pdf": "results.pdf", "xlsx": "results.xlsx", "json": "results.json",
        "csv": "results.csv"}


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    return tmp_path / "exports"


def stored_files(store) -> list:
    return [path for path in store.rglob("*") if path.is_file()]


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The name of each export built, as it is built."""
    built = []
    for name, export in list(exports.FORMATS.items()):
        def counted(report, render=export.render, name=name):
            built.append(name)
            return render(report)
        monkeypatch.setitem(exports.FORMATS, name, dataclasses.replace(export, render=counted))
    render_pb = exports.render_pb

    def counted_pb(report, envelope_id, **kwargs):
        built.append(f"pb-{envelope_id}")
        return render_pb(report, envelope_id, **kwargs)
    monkeypatch.setattr(exports, "render_pb", counted_pb)
    return built


@pytest.mark.parametrize("kind", [*URLS, "pb"])
def test_a_published_export_is_built_once_then_served_as_stored(
        make_browser, w, published, store, builds, kind):
    if kind == "pb":
        url = f"/cycles/{published.cycle.id}/envelopes/{published.envelope(w.north)['id']}.pb"
    else:
        url = f"/cycles/{published.cycle.id}/{URLS[kind]}"
    first = someone(make_browser, w, None).get(url)
    second = someone(make_browser, w, "alice").get(url)
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    assert second.data == first.data and len(first.data) > 100
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert second.headers["Cache-Control"] == "public, max-age=300"
    assert second.headers["ETag"] == first.headers["ETag"]
    assert len(stored_files(store)) == 1


def test_each_language_is_built_once(browser, published, store, builds):
    url = f"/cycles/{published.cycle.id}/results.pdf"
    french, english = browser.get(url), browser.get(url, headers=EN)
    assert french.data != english.data
    assert browser.get(url).data == french.data
    assert browser.get(url, headers=EN).data == english.data
    assert builds == ["pdf", "pdf"]


def test_a_preview_is_built_each_time_and_never_stored(make_browser, w, tallied, store, builds):
    staff = someone(make_browser, w, "staff")
    for _ in range(2):
        assert staff.get(f"/cycles/{tallied.cycle.id}/results.pdf").status_code == 200
    assert builds == ["pdf", "pdf"]
    assert stored_files(store) == []


def test_the_zip_of_the_whole_run_is_built_once_then_served_as_stored(
        make_browser, w, published, store, monkeypatch):
    import budget.blueprints.results.folder as folder

    built = []
    render = folder.render_pb_zip
    monkeypatch.setattr(folder, "render_pb_zip", lambda report: built.append(1) or render(report))
    url = f"/cycles/{published.cycle.id}/results-pabulib.zip"
    first = someone(make_browser, w, None).get(url)
    second = someone(make_browser, w, "alice").get(url)
    assert first.status_code == second.status_code == 200
    assert built == [1] and second.data == first.data
    assert len(stored_files(store)) == 1
