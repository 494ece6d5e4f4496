"""Finding proposals on a cycle's page without JavaScript: a GET form whose address carries the
search, filters and sort (so the back button and a shared link show the same list), pages of
cards that keep them, a random order of one's own, cards with photo, themes, commune, cost and
status; the staff pages of themes, and themes chosen on the submission and review forms."""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Proposal, Theme
from budget.services import images, proposals
from budget.services.proposals import ProposalDraft
from tests import factories

CARD_TITLE = re.compile(r'<h3><a href="/proposals/\d+">([^<]+)</a></h3>')


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def listed(w):
    """A cycle under review: 30 proposals of Sudville (ideas 00-29), and three themed ones."""
    cycle = factories.cycle(w, Phase.REVIEW)
    nature = Theme(cycle_id=cycle.id, name="Nature", icon="tree", description="Le vivant")
    mobility = Theme(cycle_id=cycle.id, name="Mobilité", icon="bicycle")
    db.session.add_all([nature, mobility])
    alice = w.users["alice"]
    bikes = factories.project(cycle, w.north, "Vélos en libre-service", 9_000, alice)
    trees = factories.project(cycle, w.north, "Arbres de la cour", 2_000, alice,
                              Status.SUBMITTED)
    shuttle = factories.project(cycle, None, "Navette du littoral", 50_000, alice)
    bikes.themes, trees.themes, shuttle.themes = [mobility], [nature], [mobility, nature]
    for n in range(30):
        factories.project(cycle, w.south, f"Idée {n:02d}", 100 + n, alice)
    db.session.commit()
    return cycle, nature, mobility


def titles_on(browser, url: str) -> list[str]:
    response = browser.get(url)
    assert response.status_code == 200
    return [title.replace("&#39;", "'") for title in
            CARD_TITLE.findall(response.get_data(as_text=True))]


def test_the_list_comes_a_page_at_a_time(browser, listed):
    cycle, *_ = listed
    page = browser.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "33 propositions" in page and "Page 1 sur 3" in page
    shown = [titles_on(browser, f"/cycles/{cycle.id}?page={n}") for n in (1, 2, 3)]
    assert [len(titles) for titles in shown] == [12, 12, 9]
    assert len({title for titles in shown for title in titles}) == 33


def test_a_search_finds_bicycles_without_their_accent(browser, listed):
    cycle, *_ = listed
    assert titles_on(browser, f"/cycles/{cycle.id}?q=velo") == ["Vélos en libre-service"]
    page = browser.get(f"/cycles/{cycle.id}?q=velo").get_data(as_text=True)
    assert 'value="velo"' in page  # the box keeps what was typed


def test_filters_combine_in_the_address(browser, listed, w):
    cycle, nature, mobility = listed
    base = f"/cycles/{cycle.id}"
    assert set(titles_on(browser, f"{base}?theme={mobility.id}")) == {
        "Vélos en libre-service", "Navette du littoral"}
    assert set(titles_on(browser, f"{base}?theme={nature.id}&commune={w.north.id}")) == {
        "Arbres de la cour", "Navette du littoral"}
    assert titles_on(browser, f"{base}?status=submitted") == ["Arbres de la cour"]
    assert titles_on(browser, f"{base}?cost_min=100&cost_max=101&sort=cost_desc") == [
        "Idée 01", "Idée 00"]
    assert titles_on(browser, f"{base}?cost_min=45+000+%E2%82%AC") == ["Navette du littoral"]
    page = browser.get(f"{base}?theme={nature.id}&commune={w.north.id}").get_data(as_text=True)
    assert f'<option value="{nature.id}" selected>' in page
    assert f'<option value="{w.north.id}" selected>' in page


def test_the_pages_keep_the_filters_and_the_sort(browser, listed, w):
    cycle, *_ = listed
    page = browser.get(f"/cycles/{cycle.id}?commune={w.south.id}&sort=cost_asc&q=idee")
    links = re.findall(r'<a rel="next" href="([^"]+)"', page.get_data(as_text=True))
    assert links
    asked = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)
    assert asked == {"commune": [str(w.south.id)], "sort": ["cost_asc"], "q": ["idee"],
                     "page": ["2"]}
    assert titles_on(browser, links[0].replace("&amp;", "&"))[0] == "Idée 12"


def test_the_random_order_is_the_visitors_own(make_browser, listed):
    cycle, *_ = listed
    url = f"/cycles/{cycle.id}"
    first = make_browser()
    mine = titles_on(first, url)
    assert titles_on(first, url) == mine  # the same on each visit
    assert titles_on(first, url + "?page=2") != mine  # and the pages follow on
    others = {tuple(titles_on(make_browser(), url)) for _ in range(4)}
    assert others - {tuple(mine)}, "every visitor saw the same order"


@pytest.mark.parametrize("query", [
    "theme=999999", "commune=abc", "status=won", "status=rejected", "sort=bogus",
    "cost_min=-5", "cost_max=1e9", "cost_max=" + "9" * 40, "page=x", "q=velo%27%22%3C%3E%25_",
    "q=" + "a" * 5000])
def test_bad_filters_show_the_list_never_an_error(browser, listed, query):
    cycle, *_ = listed
    response = browser.get(f"/cycles/{cycle.id}?{query}")
    assert response.status_code == 200


def test_cards_show_photo_themes_commune_cost_and_status(browser, w, app, tmp_path,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    cycle = factories.cycle(w, Phase.PROPOSALS)
    water = Theme(cycle_id=cycle.id, name="Eau", icon="drop")
    db.session.add(water)
    db.session.commit()
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "blue").save(out, "JPEG")
    proposals.submit(w.users["alice"], cycle, ProposalDraft(
        "Fontaine du port", "De l'eau fraîche.", 4_500, factories.envelope(cycle, w.north).id,
        theme_ids=(water.id,)), images.prepare(out.getvalue(), "La fontaine en pierre"))
    page = browser.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    card = page[page.index('<li class="card">'):]
    card = card[:card.index("</li>\n</ul>") if "</li>\n</ul>" in card else None]
    assert re.search(r'<img class="card-photo" src="/proposals/\d+/photos/[^"]+/thumbnail" '
                     r'alt="La fontaine en pierre"', card)
    assert 'src="/static/themes/drop.svg" alt=""' in card and "Eau" in card
    assert "Nordville" in card and "4\u202f500\u00a0€" in card and "Déposée" in card


def test_the_ballot_says_its_order_is_the_voters_own(browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    browser.login("alice@example.fr")
    page = browser.get(f"/cycles/{cycle.id}/vote").get_data(as_text=True)
    assert "ordre aléatoire qui vous est propre" in page


def test_staff_add_edit_and_delete_a_theme(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("staff@example.fr")
    assert 'href="/staff/cycles/%d/themes"' % cycle.id in browser.get(
        f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    response = browser.post(f"/staff/cycles/{cycle.id}/themes",
                            {"name": "Sport", "description": "Stades", "icon": "ball"})
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme))
    page = browser.get(f"/staff/cycles/{cycle.id}/themes").get_data(as_text=True)
    assert "Le thème «\u202fSport\u202f» est ajouté." in page and "/static/themes/ball.svg" in page
    response = browser.post(f"/staff/cycles/{cycle.id}/themes/{theme.id}",
                            {"name": "Sports", "description": "", "icon": "heart"})
    assert response.status_code == 302
    assert (db.session.get(Theme, theme.id).name, theme.icon) == ("Sports", "heart")
    response = browser.post(f"/staff/cycles/{cycle.id}/themes/{theme.id}/delete")
    assert response.status_code == 302 and db.session.scalar(select(Theme)) is None


def test_a_bad_theme_form_says_what_to_fix(browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("staff@example.fr")
    response = browser.post(f"/staff/cycles/{cycle.id}/themes",
                            {"name": "", "description": "x" * 300, "icon": "unicorn"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Donnez un nom au thème." in page and 'href="#icon-0"' in page
    assert db.session.scalar(select(Theme)) is None


def test_a_theme_of_another_cycle_is_not_found(browser, w):
    cycle, other = factories.cycle(w, Phase.PROPOSALS), factories.cycle(w, Phase.PROPOSALS)
    theme = Theme(cycle_id=other.id, name="Eau", icon="drop")
    db.session.add(theme)
    db.session.commit()
    browser.login("staff@example.fr")
    assert browser.get(f"/staff/cycles/{cycle.id}/themes/{theme.id}").status_code == 404


def test_residents_choose_themes_and_staff_change_them_at_review(browser, make_browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    nature = Theme(cycle_id=cycle.id, name="Nature", icon="tree")
    sport = Theme(cycle_id=cycle.id, name="Sport", icon="ball")
    db.session.add_all([nature, sport])
    db.session.commit()
    browser.login("alice@example.fr")
    form = browser.get(f"/cycles/{cycle.id}/proposals/new").get_data(as_text=True)
    assert "Thèmes (un ou plusieurs)" in form and 'name="theme_ids"' in form
    base = {"title": "Un stade arboré", "description": "Des arbres autour du stade.",
            "estimated_cost": "3000", "envelope_id": factories.envelope(cycle, w.north).id}
    refused = browser.post(f"/cycles/{cycle.id}/proposals/new", base)
    assert refused.status_code == 422
    assert "Choisissez au moins un thème." in refused.get_data(as_text=True)
    assert browser.post(f"/cycles/{cycle.id}/proposals/new",
                        {**base, "theme_ids": [str(nature.id)]}).status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert [t.name for t in proposal.themes] == ["Nature"]
    clerk = make_browser()
    clerk.login("northclerk@example.fr")
    review = clerk.get(f"/staff/proposals/{proposal.id}/review").get_data(as_text=True)
    assert re.search(rf'value="{nature.id}"\s+checked', review)
    assert clerk.post(f"/staff/proposals/{proposal.id}/review", {
        "status": "in_review", "final_cost": "3000",
        "theme_ids": [str(nature.id), str(sport.id)]}).status_code == 302
    db.session.expire_all()
    assert [t.name for t in db.session.get(Proposal, proposal.id).themes] == ["Nature",
                                                                                 "Sport"]


def test_the_map_shows_the_proposals_the_list_shows(browser, listed, w):
    cycle, nature, _mobility = listed
    for proposal in db.session.scalars(select(Proposal)):
        proposal.latitude, proposal.longitude = 46.2, -1.4
    db.session.commit()
    url = f"/cycles/{cycle.id}?theme={nature.id}&q=arbres"
    page = browser.get(url).get_data(as_text=True)
    assert f'href="/cycles/{cycle.id}/map?' in page
    link = re.search(rf'href="(/cycles/{cycle.id}/map\?[^"]+)"', page).group(1)
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query) == {
        "theme": [str(nature.id)], "q": ["arbres"]}
    shown = browser.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Arbres de la cour" in shown and "Navette du littoral" not in shown
    assert 'value="arbres"' in shown  # the same form, on the map
    assert "Aucune proposition ne correspond" in browser.get(
        f"/cycles/{cycle.id}/map?q=zzzz").get_data(as_text=True)


def test_a_proposals_page_links_its_themes_to_the_list_of_that_theme(browser, listed):
    cycle, nature, _mobility = listed
    shuttle = db.session.scalar(select(Proposal).where(Proposal.title == "Navette du littoral"))
    page = browser.get(f"/proposals/{shuttle.id}").get_data(as_text=True)
    assert f'href="/cycles/{cycle.id}?theme={nature.id}#list-heading">Nature</a>' in page
    assert "/static/themes/bicycle.svg" in page


@pytest.fixture
def decided(w):
    """A cycle in its vote: one proposal on the ballot, one not feasible, one merged into
    it, one left in review."""
    cycle = factories.cycle(w, Phase.VOTE)
    alice = w.users["alice"]
    kept = factories.project(cycle, w.north, "Vélos en libre-service", 9_000, alice)
    factories.project(cycle, w.north, "Téléphérique", 90_000, alice, Status.REJECTED)
    db.session.add(Proposal(cycle=cycle, envelope=factories.envelope(cycle, w.north),
                            author=alice, title="Vélos partagés", description="Doublon.",
                            estimated_cost=8_000, status=Status.MERGED, merged_into_id=kept.id))
    factories.project(cycle, w.south, "Halle couverte", 20_000, alice, Status.IN_REVIEW)
    db.session.commit()
    return cycle


def test_from_the_vote_on_the_list_shows_the_ballot_and_the_rest_on_request(browser,
                                                                           decided):
    url = f"/cycles/{decided.id}"
    assert titles_on(browser, url) == ["Vélos en libre-service"]
    page = browser.get(url).get_data(as_text=True)
    offered = re.findall(r'<option value="([a-z_]+)"', page.split('id="status"')[1]
                         .split("</select>")[0])
    assert offered == ["on_ballot", "submitted", "in_review", "rejected", "merged",
                       "unsupported"]
    assert "Tous les statuts" not in page
    assert titles_on(browser, url + "?status=rejected") == ["Téléphérique"]
    assert titles_on(browser, url + "?status=merged") == ["Vélos partagés"]
    assert titles_on(browser, url + "?status=in_review") == ["Halle couverte"]
    assert "Projets soumis au vote" not in browser.get(url + "?status=rejected").text
    api = browser.get(f"/api/v1/cycles/{decided.id}/proposals?status=rejected").get_json()
    assert [p["title"] for p in api["proposals"]] == ["Téléphérique"]


def test_before_the_vote_a_rejection_is_not_listed_even_on_request(browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    factories.project(cycle, w.north, "Téléphérique", 90_000, w.users["alice"],
                      Status.REJECTED)
    assert titles_on(browser, f"/cycles/{cycle.id}?status=rejected") == []
    response = browser.get(f"/api/v1/cycles/{cycle.id}/proposals?status=rejected")
    assert response.status_code == 400
