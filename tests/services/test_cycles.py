from budget.domain.phases import Phase
from budget.services.cycles import current_cycle
from tests import factories


def test_no_cycle_means_none(session):
    assert current_cycle() is None


def test_the_cycle_open_for_voting_comes_first(session):
    w = factories.world()
    proposing = factories.cycle(w, Phase.PROPOSALS)
    voting = factories.cycle(w, Phase.VOTE)
    factories.cycle(w, Phase.UPCOMING)
    assert current_cycle() == voting
    assert proposing.phase() == Phase.PROPOSALS


def test_home_page_shows_the_featured_cycle_and_links_the_others(browser, session):
    w = factories.world()
    proposing = factories.cycle(w, Phase.PROPOSALS)
    proposing.title = "Idées 2027"
    voting = factories.cycle(w, Phase.VOTE)
    voting.title = "Vote 2026"
    session.commit()
    page = browser.get("/").get_data(as_text=True)
    assert "<h1>Vote 2026</h1>" in page
    assert f'href="/cycles/{proposing.id}"' in page
