"""`make run` without a mail server prints every email in the terminal (MAIL_TO_LOG): a person
trying the platform registers, copies the confirmation link from the log, opens it and signs in.
"""
from __future__ import annotations

import logging
import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

EMAIL = "paul.bernard@example.fr"
PASSWORD = "une phrase de passe assez longue"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_register_and_confirm_from_the_log(live_server, new_page, check_page, monkeypatch):
    # As `make run` is set up (config.py's development settings): no mail server, the log.
    monkeypatch.setitem(live_server.app.config, "TESTING", False)
    monkeypatch.setitem(live_server.app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(live_server.app.config, "MAIL_TO_LOG", True)
    log = logging.getLogger("budget.mail")
    lines = Lines()
    log.addHandler(lines)
    monkeypatch.setattr(log, "level", logging.INFO)
    try:
        page = new_page(PHONE)
        page.goto("/register")
        page.get_by_label("Adresse électronique").fill(EMAIL)
        page.get_by_label("Nom affiché sur vos propositions").fill("Paul Bernard")
        page.get_by_label("Votre commune").select_option(label="Saint-Martin-de-Ré (17369)")
        page.get_by_label("Mot de passe (10 caractères minimum)").fill(PASSWORD)
        page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.get_by_role("status").first).to_contain_text(EMAIL)
    finally:
        log.removeHandler(lines)
    [printed] = [line for line in lines.lines if f"To: {EMAIL}" in line]
    link = re.search(r"https?://[^/\s]+(/account/verify/\S+)", printed)
    assert link, printed
    page.goto(link.group(1))
    check_page(page, "email-confirmed-from-the-log")
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    # Confirmed: no banner asks for it any more.
    expect(page.get_by_role("button", name="Renvoyer le lien")).to_have_count(0)
    assert not [m for m in live_server.outbox() if m["To"] == EMAIL]  # the log, not the outbox
