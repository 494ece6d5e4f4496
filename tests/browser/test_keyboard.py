"""Voting with the keyboard only (Tab, Shift+Tab, Enter, Space; typing in text fields): every
step is reachable, in a sensible order, and the focused element is always visibly marked."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from budget.services.demo import CYCLE_TITLE
from tests.browser.conftest import DESKTOP

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
          tag: el.tagName, id: el.id, type: el.type || '',
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_to(page, matches, limit=80) -> dict:
    """Press Tab until the focused element satisfies `matches`; fail if it never does. Every
    element met on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outlined"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"never reached by Tab on {page.url}")


def test_vote_with_the_keyboard_only(live_server, new_page, check_page):
    cycle_id = live_server.cycle_id(CYCLE_TITLE)
    page = new_page(DESKTOP)
    page.goto("/login")

    # The first Tab reaches the skip link; Enter moves past the header.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type("elu@demo.budget.fr")
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type("elu-demo-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(f"/cycles/{cycle_id}")
    tab_to(page, lambda f: f["text"] == "Voter maintenant")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre bulletin")

    ticked = []
    for _ in range(2):
        focused = tab_to(page, lambda f: f["type"] == "checkbox" and f["id"] not in ticked)
        page.keyboard.press("Space")
        ticked.append(focused["id"])
    for box in ticked:
        expect(page.locator(f"#{box}")).to_be_checked()
    expect(page.locator("[data-ballot-status]").first).to_contain_text(re.compile(r"\d"))
    check_page(page, "keyboard-ballot")
    tab_to(page, lambda f: f["text"] == "Relire mon bulletin")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre bulletin")

    tab_to(page, lambda f: f["text"] == "Confirmer mon vote")
    check_page(page, "keyboard-review-focus")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    check_page(page, "keyboard-receipt")
