"""Finding proposals on a 375 px phone, as a resident would: search "velo" and find "Vélos en
libre-service", filter by theme and commune, go back to the search, turn the page; and the same
form without JavaScript. axe finds no serious or critical violation on the lists."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PORT

CYCLE = "Budget participatif 2030 (recherche)"


@pytest.fixture(scope="module")
def listed(live_server) -> dict:
    """A cycle of the demo territory under review, of this file alone: themed proposals of La
    Flotte, of another commune and of the intercommunalité, and enough ideas for two pages."""
    from budget.extensions import db
    from budget.domain.proposals import Status
    from budget.models import Intercommunality, Proposal, Theme, User
    from budget.models.time import utcnow
    from budget.services.cycle_setup import CycleDraft, create_cycle
    from budget.services.policy import SYSTEM_OPERATOR

    with live_server.app.app_context():
        epci = db.session.scalar(db.select(Intercommunality))
        now = utcnow()
        cycle = create_cycle(SYSTEM_OPERATOR, epci, CycleDraft(
            title=CYCLE, description="", proposals_start=now - timedelta(days=20),
            review_start=now - timedelta(days=1), vote_start=now + timedelta(days=40),
            vote_end=now + timedelta(days=60), vote_format="approval",
            vote_params={"max_choices": 3}, tally_rule="greedy", intercommunal_amount=100_000,
            commune_amounts={commune.id: 10_000 for commune in epci.communes}))
        author = db.session.scalar(db.select(User).where(
            User.email == "habitant@demo.budget.fr"))
        home = author.home_commune
        other = next(c for c in epci.communes if c.id != home.id)
        mobility = Theme(cycle_id=cycle.id, name="Mobilité", icon="bicycle")
        nature = Theme(cycle_id=cycle.id, name="Nature", icon="tree")
        envelopes = {e.commune_id: e for e in cycle.envelopes}

        def add(title, commune, themes, cost=5_000):
            db.session.add(Proposal(
                cycle_id=cycle.id, envelope=envelopes[commune.id if commune else None],
                author=author, title=title, description="Une idée d'habitant.",
                estimated_cost=cost, status=Status.SUBMITTED, themes=themes))

        add("Vélos en libre-service entre les villages", None, [mobility], 60_000)
        add("Arceaux pour vélos devant l'école", home, [mobility])
        add("Navette électrique du marché", other, [mobility])
        add("Jardin partagé du port", home, [nature])
        for n in range(14):
            add(f"Banc numéro {n:02d}", other, [nature], 100 + n)
        db.session.commit()
        return {"id": cycle.id, "home": home.name, "other": other.name}


def cards(page) -> list[str]:
    return page.locator(".card h3").all_inner_texts()


def test_find_proposals_by_search_theme_and_commune_on_a_phone(listed, new_page, check_page):
    page = new_page(PHONE)
    page.goto(f"/cycles/{listed['id']}")
    expect(page.get_by_text("18 propositions")).to_be_visible()
    assert len(cards(page)) == 12
    check_page(page, "find-list")

    page.get_by_label("Rechercher dans les titres et les descriptions").fill("velo")
    page.get_by_role("button", name="Afficher les propositions").click()
    expect(page.get_by_role("link", name="Vélos en libre-service entre les villages")) \
        .to_be_visible()
    assert sorted(cards(page)) == ["Arceaux pour vélos devant l'école",
                                   "Vélos en libre-service entre les villages"]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["velo"]
    check_page(page, "find-search-velo")

    page.get_by_role("link", name="Effacer la recherche et les filtres").click()
    page.get_by_text("Filtrer et trier").click()  # the filters fold away on a phone
    page.get_by_label("Commune", exact=True).select_option(label=listed["home"])
    page.get_by_label("Thème", exact=True).select_option(label="Mobilité")
    page.get_by_role("button", name="Afficher les propositions").click()
    expect(page.get_by_text("2 propositions")).to_be_visible()
    assert sorted(cards(page)) == ["Arceaux pour vélos devant l'école",
                                   "Vélos en libre-service entre les villages"]
    expect(page.get_by_label("Thème", exact=True)).to_have_value(
        parse_qs(urlsplit(page.url).query)["theme"][0])
    check_page(page, "find-theme-and-commune")

    page.get_by_label("Thème", exact=True).select_option(label="Nature")
    page.get_by_role("button", name="Afficher les propositions").click()
    assert cards(page) == ["Jardin partagé du port"]

    page.go_back()  # the back button shows the list as it was filtered
    expect(page.get_by_text("2 propositions")).to_be_visible()
    page.go_back()
    page.go_back()
    expect(page.get_by_label("Rechercher dans les titres et les descriptions")) \
        .to_have_value("velo")


def test_the_pages_keep_the_order_chosen(listed, new_page):
    page = new_page(PHONE)
    page.goto(f"/cycles/{listed['id']}")
    page.get_by_text("Filtrer et trier").click()
    page.get_by_label("Ordre", exact=True).select_option(label="Les moins chères d’abord")
    page.get_by_role("button", name="Afficher les propositions").click()
    first = cards(page)
    assert first[:2] == ["Banc numéro 00", "Banc numéro 01"]
    page.get_by_role("navigation", name="Pages de la liste des propositions") \
        .get_by_role("link", name="Page suivante").click()
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["cost_asc"]
    rest = cards(page)
    assert len(rest) == 6 and not set(rest) & set(first)
    assert rest[-1] == "Vélos en libre-service entre les villages"  # the dearest, last


def test_the_filters_work_without_javascript(listed, chromium):
    context = chromium.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False,
                                   base_url=f"http://127.0.0.1:{PORT}")
    try:
        page = context.new_page()
        page.goto(f"/cycles/{listed['id']}")
        page.get_by_label("Rechercher dans les titres et les descriptions").fill("VÉLO")
        page.get_by_text("Filtrer et trier").click()  # <details>: no script needed
        page.get_by_label("Commune", exact=True).select_option(label=listed["other"])
        page.get_by_role("button", name="Afficher les propositions").click()
        assert cards(page) == ["Vélos en libre-service entre les villages"]
    finally:
        context.close()
