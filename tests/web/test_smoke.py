from budget.domain.phases import Phase
from tests import factories


def test_home_without_cycle_says_so(browser):
    response = browser.get("/")
    assert response.status_code == 200


def test_citizen_votes_end_to_end(browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    bus = factories.project(cycle, None, "Navette", 60_000, w.users["bob"])
    browser.login("alice@example.fr")
    page = browser.get(f"/cycles/{cycle.id}/vote")
    assert page.status_code == 200
    assert "Parc" in page.get_data(as_text=True)
    review = browser.post(f"/cycles/{cycle.id}/vote/review", {"project": [park.id, bus.id]})
    assert review.status_code == 200, review.get_data(as_text=True)
    done = browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id, bus.id]})
    assert done.status_code == 200
    receipt = done.get_data(as_text=True)
    assert "receipt" in receipt
