"""Browser tests: the real app served on a local port, driven by Debian's Chromium through
Playwright, with axe-core checking every main page. Run with `make test-browser` (needs
/usr/bin/chromium and tests/browser/node_modules, which .ci/browser installs).

The server runs in a thread of the test process, so a test can read the mail outbox and move a
cycle along its timeline (the one thing a person cannot do from a browser: wait for a date).
"""
from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from budget import create_app
from budget.extensions import db

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
# Another port when two runs share a machine (BUDGET_BROWSER_PORT): each needs its own.
PORT = int(os.environ.get("BUDGET_BROWSER_PORT", "18201"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 667}
SMALL_PHONE = {"width": 320, "height": 568}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    app: object
    url: str

    def outbox(self):
        from budget import mail
        with self.app.app_context():
            return list(mail.outbox())

    def open_vote(self, title: str) -> None:
        """Time passes: the cycle's proposals and review are over, its vote has just opened."""
        from budget.models import BudgetCycle
        from budget.models.time import utcnow
        with self.app.app_context():
            cycle = db.session.scalar(db.select(BudgetCycle).where(BudgetCycle.title == title))
            now = utcnow().replace(microsecond=0)
            cycle.proposals_start = now - timedelta(days=20)
            if cycle.supports_start is not None:
                cycle.supports_start = now - timedelta(days=15)
            cycle.review_start = now - timedelta(days=10)
            cycle.vote_start = now - timedelta(minutes=1)
            cycle.vote_end = now + timedelta(days=10)
            db.session.commit()

    def cycle_id(self, title: str) -> int:
        from budget.models import BudgetCycle
        with self.app.app_context():
            return db.session.scalar(db.select(BudgetCycle.id).where(BudgetCycle.title == title))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on 127.0.0.1:PORT: a migrated SQLite database with the demo data."""
    from budget.services.demo import load_demo

    folder = tmp_path_factory.mktemp("browser")
    # No map tiles: the tests never reach outside this machine (see also new_page).
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'budget.db'}",
                     MAP_TILE_URL="", UPLOAD_FOLDER=str(folder / "uploads"),
                     PUBLIC_URL=f"http://127.0.0.1:{PORT}")  # the links in its emails
    with app.app_context():
        upgrade()
        load_demo(ballot_count=40)
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{PORT}")
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/browser (installs Debian's chromium).")
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `npm ci` in tests/browser (or .ci/browser).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """new_page(viewport) -> a page of a fresh browser context (own cookies), in French."""
    contexts = []

    def make(viewport=DESKTOP):
        context = chromium.new_context(viewport=viewport, locale="fr-FR",
                                       base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(10_000)
        # Anything not served by the app under test is refused, so a test can never fetch
        # from the Internet (tiles, fonts, a CDN) nor pass because something else answered.
        context.route(re.compile(r"^(?!http://127\.0\.0\.1:%d/)" % PORT),
                      lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shots():
    """shots(page, name): a full-page screenshot in tests/browser/screenshots/, numbered in
    the order the steps happen. BUDGET_BROWSER_SCREENSHOTS=0 takes none: CI keeps no file of
    its run, and the screenshots were a seventh of the suite's time (11 s of 83 s of two
    modules' tests; axe-core 26 s)."""
    if os.environ.get("BUDGET_BROWSER_SCREENSHOTS", "1") == "0":
        return lambda page, name: None
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 1000))

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return its serious and critical violations.

    The script is evaluated through the DevTools protocol, which the page's Content Security
    Policy (no inline scripts) does not block, so the page is checked as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text("utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


@pytest.fixture
def check_page(shots):
    """check_page(page, name): screenshot the page, and fail on any serious or critical axe
    violation (listed with the offending elements) or when the page is wider than the screen
    (it would scroll sideways)."""
    def check(page, name: str) -> None:
        # A click that follows a link returns once the next page starts loading: wait for it
        # (the screenshot used to give it that time; without screenshots the check ran on a
        # page with no document yet).
        page.wait_for_load_state("load")
        shots(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], \
            f"{name} ({page.url}): {width} px wide on a {page.viewport_size['width']} px screen"
        violations = axe_violations(page)
        details = [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations]
        assert not violations, f"{name} ({page.url}): " + json.dumps(details, indent=1,
                                                                     ensure_ascii=False)
    return check


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the French login form and wait for the signed-in header."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def wait_until_loaded(image) -> None:
    """Wait until the image is shown whole: fetched and decoded (a lazy one once scrolled to).
    Visible is not enough: its box is laid out before its bytes arrive, and under load the
    check that followed it ran first. A broken image (0 pixels wide) times out."""
    image.scroll_into_view_if_needed()
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                 arg=image.element_handle())

