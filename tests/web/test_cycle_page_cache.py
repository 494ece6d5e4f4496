"""An anonymous visitor's cycle page is kept in the process while its list cannot change (from
the vote on), per language, list order and query string; a signed-in person's page, and any
page before the vote, is rendered for its request (public/cycle_cache.py)."""
from __future__ import annotations

import pytest

import budget.blueprints.public.views as views
from budget.blueprints.public import cycle_cache
from budget.blueprints.results import shared_pages
from budget.domain.phases import Phase
from tests import factories
from tests.conftest import someone

NAME = "ysolde.marcheterre"  # a display name: the local part of the address


@pytest.fixture
def memo(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_MEMO_SECONDS", 30.0)
    monkeypatch.setattr(cycle_cache, "_kept", {})
    monkeypatch.setattr(shared_pages, "_published", {})


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    rendered = []
    render = views.render_template

    def counted(template, **context):
        rendered.append(template)
        return render(template, **context)
    monkeypatch.setattr(views, "render_template", counted)
    return rendered


def voting_cycle(w, phase=Phase.VOTE):
    cycle = factories.cycle(w, phase)
    factories.project(cycle, w.north, "Jardin partagé des Tilleuls", 5_000, w.users["alice"])
    return cycle


def test_during_the_vote_a_visitor_s_page_is_rendered_once(browser, session, memo, renders):
    w = factories.world()
    cycle = voting_cycle(w)
    first, second = (browser.get(f"/cycles/{cycle.id}") for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert renders == ["public/cycle.html"]
    assert second.data == first.data and "Jardin partagé" in first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    english = browser.get(f"/cycles/{cycle.id}", headers={"Accept-Language": "en"})
    filtered = browser.get(f"/cycles/{cycle.id}?q=jardin")
    assert english.data != first.data and filtered.status_code == 200
    assert renders == ["public/cycle.html"] * 3


def test_a_signed_in_person_s_page_is_never_kept_nor_shown_to_a_visitor(
        make_browser, session, memo, renders):
    w = factories.world()
    cycle = voting_cycle(w)
    factories.user(f"{NAME}@example.fr", w.north)
    visitor = someone(make_browser, w, None)
    person = someone(make_browser, w, NAME)
    renders.clear()  # signing in read the home page, which is the current cycle's page
    for _ in range(2):
        assert NAME not in visitor.get(f"/cycles/{cycle.id}").get_data(as_text=True)
        assert NAME in person.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert renders.count("public/cycle.html") == 3  # the visitor once, the person each time
    for _, page in cycle_cache._kept.values():
        assert NAME not in page


def test_before_the_vote_every_page_is_rendered(browser, session, memo, renders):
    w = factories.world()
    cycle = voting_cycle(w, Phase.PROPOSALS)
    for _ in range(2):
        assert browser.get(f"/cycles/{cycle.id}").status_code == 200
    assert renders == ["public/cycle.html"] * 2


def test_visitors_share_a_few_list_orders(make_browser, session, memo):
    w = factories.world()
    cycle = voting_cycle(w)
    for _ in range(40):
        someone(make_browser, w, None).get(f"/cycles/{cycle.id}")
    orders = {key[2] for key in cycle_cache._kept}
    assert orders <= set(range(1, 17)) and len(orders) > 1
