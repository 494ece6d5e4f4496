"""Error pages: the right status, in French unless asked otherwise, and never a stack trace."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, Participation
from budget.services import ballot_box, cycles, voting
from tests import factories
from tests.factories import project

EN = {"Accept-Language": "en"}
LEAKS = ("Traceback", "RuntimeError", "File \"", ".py", "/work/", "sqlalchemy", "werkzeug",
         "Kaboom")


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def crashing(app, monkeypatch):
    """Let the app handle exceptions as in production (the testing config re-raises them)."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def kaboom(*args, **kwargs):
        raise RuntimeError("Kaboom: secret internals")
    return kaboom


def assert_error_page(response, status: int, lang: str = "fr"):
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f'<html lang="{lang}"' in page
    for leak in LEAKS:
        assert leak not in page, leak
    return page


# --- 404 ------------------------------------------------------------------------------------

UNKNOWN_FOR_ANYONE = ["/nope", "/cycles/999999", "/cycles/abc", "/proposals/999999",
                      "/cycles/999999/results", "/cycles/999999/results.csv",
                      "/static/nope.css", "/cycles/1/../../etc/passwd"]


@pytest.mark.parametrize("url", UNKNOWN_FOR_ANYONE)
def test_unknown_urls_and_ids_give_the_404_page_in_french(browser, w, url):
    assert_error_page(browser.get(url), 404, "fr")


@pytest.mark.parametrize("accept", ["de", "es-ES,de;q=0.8", "*"])
def test_french_is_also_the_fallback_for_other_languages(browser, w, accept):
    assert_error_page(browser.get("/nope", headers={"Accept-Language": accept}), 404, "fr")


def test_the_404_page_speaks_english_when_asked(browser, w):
    page = assert_error_page(browser.get("/nope", headers=EN), 404, "en")
    assert "Page not found" in page


@pytest.mark.parametrize("url", ["/cycles/999999/vote", "/cycles/999999/vote/receipt",
                                 "/cycles/999999/my-proposals", "/proposals/999999/edit",
                                 "/cycles/999999/proposals/new"])
def test_unknown_ids_behind_sign_in_are_404(browser, w, url):
    browser.login("alice@example.fr")
    assert_error_page(browser.get(url), 404)


@pytest.mark.parametrize("url", ["/staff/cycles/999999", "/staff/proposals/999999/review"])
def test_unknown_ids_in_the_staff_pages_are_404(browser, w, url):
    browser.login("staff@example.fr")
    assert_error_page(browser.get(url), 404)


@pytest.mark.parametrize("url", ["/cycles/999999/vote/confirm", "/staff/cycles/999999/close"])
def test_posting_to_unknown_ids_is_404(browser, w, url):
    browser.login("staff@example.fr")
    assert_error_page(browser.post(url), 404)


# --- Other client errors --------------------------------------------------------------------

def test_wrong_method_gives_an_error_page(browser, w):
    assert_error_page(browser.get("/logout"), 405)


def test_forbidden_page(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    browser.login("alice@example.fr")
    assert_error_page(browser.get(f"/staff/cycles/{cycle.id}"), 403)


def test_expired_form_page(browser, w):
    page = assert_error_page(browser.post("/login", {"email": "alice@example.fr"},
                                          csrf=False, headers=EN), 400, "en")
    assert "Your session has expired" in page


def test_too_large_a_request(app, browser, w, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = browser.post("/login", {"email": "alice@example.fr", "password": "x" * 4096})
    assert_error_page(response, 413)


# --- 500 ------------------------------------------------------------------------------------

def test_a_crash_gives_the_500_page_without_internals(browser, w, crashing, monkeypatch):
    factories.cycle(w, Phase.VOTE)
    monkeypatch.setattr(cycles, "current_cycle", crashing)
    assert_error_page(browser.get("/"), 500, "fr")
    page = assert_error_page(browser.get("/", headers=EN), 500, "en")
    assert "Something went wrong" in page


def locked(*args, **kwargs):
    raise OperationalError("INSERT INTO ballots ...", {}, Exception("database is locked"))


@pytest.mark.parametrize("failure, status, says", [
    # A crash after the participation row is written, before the commit.
    ("crash", 500, "Something went wrong"),
    # SQLite's one writer at a time: past the busy timeout the loser gets "database is
    # locked", and is asked to send again (a 503, not the 500 page).
    ("locked", 503, "Nothing you sent was saved")])
def test_a_failed_vote_saves_nothing_and_the_voter_can_vote_again(
        browser, w, crashing, monkeypatch, failure, status, says):
    cycle = factories.cycle(w, Phase.VOTE)
    park = project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    browser.login("alice@example.fr")
    working = voting.receipt_hash
    monkeypatch.setattr(voting, "receipt_hash", crashing if failure == "crash" else locked)
    confirm = f"/cycles/{cycle.id}/vote/confirm"
    page = assert_error_page(browser.post(confirm, {"project": [park.id]}), status)
    response = browser.post(confirm, {"project": [park.id]}, headers=EN)
    assert says in assert_error_page(response, status, "en")
    if failure == "locked":
        assert "Le service est très sollicité" in page
        assert response.headers["Retry-After"] == "5"
    for model in (Participation, Ballot):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    monkeypatch.setattr(voting, "receipt_hash", working)
    assert browser.post(confirm, {"project": [park.id]}).status_code == 200  # the receipt
    ballot_box.mix()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_another_database_error_is_still_the_500_page(browser, w, crashing, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection"))

    factories.cycle(w, Phase.VOTE)
    monkeypatch.setattr(cycles, "current_cycle", broken)
    assert_error_page(browser.get("/"), 500)
