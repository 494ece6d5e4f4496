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
    element met on the way must show its focus. Waits for the page's stylesheet first: a heading
    can be on screen before budget.css has loaded, and the browser's own focus ring is thinner."""
    page.wait_for_load_state("load")
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


def sign_in_by_keyboard(page, email: str, password: str) -> None:
    page.goto("/login")
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def cycle_taking_proposals(live_server) -> int:
    """A new cycle of the demo territory, open for proposals (the other tests move theirs on)."""
    from datetime import timedelta

    from budget.extensions import db
    from budget.models import Intercommunality
    from budget.models.time import utcnow
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        now = utcnow()
        draft = CycleDraft(
            title="Budget participatif 2028", description="", proposals_start=now
            - timedelta(days=1), review_start=now + timedelta(days=20),
            vote_start=now + timedelta(days=40), vote_end=now + timedelta(days=60),
            vote_format="approval", vote_params={"max_choices": 3}, tally_rule="greedy",
            intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes})
        return create_cycle(SYSTEM_OPERATOR, epci, draft).id


def test_propose_and_review_with_the_keyboard_only(live_server, new_page, check_page):
    """A resident submits a proposal and staff put it on the ballot, without a mouse."""
    cycle_id = cycle_taking_proposals(live_server)
    title = "Nichoirs à mésanges dans le parc"
    resident = new_page(DESKTOP)
    sign_in_by_keyboard(resident, "habitant@demo.budget.fr", "habitant-demo-2026")
    resident.goto(f"/cycles/{cycle_id}")
    expect(resident.get_by_role("heading", level=1)).to_be_visible()
    tab_to(resident, lambda f: f["text"] == "Déposer une proposition")
    resident.keyboard.press("Enter")
    resident.wait_for_url(re.compile(r"/proposals/new$"))
    tab_to(resident, lambda f: f["id"] == "title")
    resident.keyboard.type(title)
    tab_to(resident, lambda f: f["id"] == "description")
    resident.keyboard.type("Dix nichoirs posés avec les enfants du centre de loisirs.")
    tab_to(resident, lambda f: f["id"] == "estimated_cost")
    resident.keyboard.type("900")
    tab_to(resident, lambda f: f["type"] == "radio")
    resident.keyboard.press("Space")
    check_page(resident, "keyboard-proposal-form")
    tab_to(resident, lambda f: f["text"] == "Déposer ma proposition")
    resident.keyboard.press("Enter")
    expect(resident.get_by_role("heading", level=1)).to_have_text(title)

    staff = new_page(DESKTOP)
    sign_in_by_keyboard(staff, "agent@demo.budget.fr", "agent-demo-2026")
    staff.goto(f"/staff/cycles/{cycle_id}")
    expect(staff.get_by_role("link", name=title)).to_be_visible()
    tab_to(staff, lambda f: f["text"] == title)
    staff.keyboard.press("Enter")
    staff.wait_for_url(re.compile(r"/review$"))
    first = tab_to(staff, lambda f: f["type"] == "radio")
    staff.keyboard.press("ArrowDown")  # from "in review" to "feasible: on the ballot"
    assert staff.evaluate(FOCUSED)["id"] != first["id"]
    expect(staff.get_by_label("Réalisable : la soumettre au vote")).to_be_checked()
    tab_to(staff, lambda f: f["text"] == "Enregistrer la décision")
    check_page(staff, "keyboard-review-decision")
    staff.keyboard.press("Enter")
    expect(staff.get_by_role("status")).to_contain_text("Décision enregistrée")
