"""Paper ballots from the browser: create a batch, type it twice, compare, validate, count."""
import pytest

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, PaperBatch
from budget.services import tally
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w):
    cycle = factories.cycle(w, Phase.VOTE, vote_params={"max_choices": 1})
    cycle.park = factories.project(cycle, w.north, "Parc", 4_000, w.users["alice"]).id
    cycle.pool = factories.project(cycle, w.north, "Piscine", 5_000, w.users["alice"]).id
    return cycle


def new_batch(browser, cycle, w, count=2):
    response = browser.post(f"/staff/cycles/{cycle.id}/paper", {
        "commune": w.north.id, "label": "Mairie, 12 mars", "declared_count": count})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.query(PaperBatch).filter_by(cycle_id=cycle.id).one()


def type_batch(browser, batch, ballots):
    assert browser.post(f"/staff/paper/{batch.id}/start").status_code == 302
    for position, data in enumerate(ballots, start=1):
        response = browser.post(f"/staff/paper/{batch.id}/ballots/{position}", data)
        assert response.status_code == 302, response.get_data(as_text=True)


def test_two_people_type_compare_and_validate(make_browser, w, cycle):
    clerk, agent = someone(make_browser, w, "northclerk"), someone(make_browser, w, "staff")
    batch = new_batch(clerk, cycle, w)
    type_batch(clerk, batch, [{"kind": "valid", "project": cycle.park}, {"kind": "blank"}])
    type_batch(agent, batch, [{"kind": "valid", "project": cycle.pool}, {"kind": "blank"}])
    page = agent.get(f"/staff/paper/{batch.id}/compare", headers=EN).get_data(as_text=True)
    assert "Parc" in page and "Piscine" in page and "not chosen" in page
    agent.post(f"/staff/paper/{batch.id}/validate")
    assert db.session.query(Ballot).filter_by(channel="paper").count() == 0
    # The staff member checks the paper ballot: they typed it wrong and correct it.
    agent.post(f"/staff/paper/{batch.id}/ballots/1", {"kind": "valid", "project": cycle.park})
    page = agent.get(f"/staff/paper/{batch.id}/compare", headers=EN).get_data(as_text=True)
    assert "The two entries agree." in page
    assert agent.post(f"/staff/paper/{batch.id}/validate").status_code == 302
    (ballot,) = db.session.query(Ballot).filter_by(channel="paper").all()
    assert [s.proposal_id for s in ballot.selections] == [cycle.park]
    page = agent.get(f"/staff/paper/{batch.id}", headers=EN).get_data(as_text=True)
    assert "Blank ballots: 1. Spoiled ballots: 0." in page


def test_an_invalid_paper_ballot_is_refused_on_the_form(make_browser, w, cycle):
    clerk = someone(make_browser, w, "northclerk")
    batch = new_batch(clerk, cycle, w, count=1)
    clerk.post(f"/staff/paper/{batch.id}/start")
    response = clerk.post(f"/staff/paper/{batch.id}/ballots/1",
                          {"kind": "valid", "project": [cycle.park, cycle.pool]}, headers=EN)
    assert response.status_code == 422
    assert "Choose at most 1 projects" in response.get_data(as_text=True)
    assert clerk.post(f"/staff/paper/{batch.id}/ballots/1",
                      {"kind": "spoiled"}).status_code == 302


@pytest.mark.parametrize("who", ["southclerk", "otherstaff"])
def test_other_territories_staff_are_refused(make_browser, w, cycle, who):
    batch = new_batch(someone(make_browser, w, "northclerk"), cycle, w, count=1)
    other = someone(make_browser, w, who)
    assert other.get(f"/staff/paper/{batch.id}").status_code == 403
    assert other.post(f"/staff/paper/{batch.id}/start").status_code == 403
    response = other.post(f"/staff/cycles/{cycle.id}/paper", {
        "commune": w.north.id, "label": "Faux", "declared_count": 1})
    assert response.status_code in (403, 422)
    assert db.session.query(PaperBatch).count() == 1


def test_the_same_person_cannot_validate_their_own_double(make_browser, w, cycle):
    clerk = someone(make_browser, w, "northclerk")
    batch = new_batch(clerk, cycle, w, count=1)
    type_batch(clerk, batch, [{"kind": "blank"}])
    clerk.post(f"/staff/paper/{batch.id}/start")  # their own entry again, not the second
    assert len(db.session.get(PaperBatch, batch.id).entries) == 1
    clerk.post(f"/staff/paper/{batch.id}/validate")
    assert db.session.get(PaperBatch, batch.id).validated_at is None


def test_published_results_show_paper_ballots(make_browser, w, cycle):
    clerk, agent = someone(make_browser, w, "northclerk"), someone(make_browser, w, "staff")
    batch = new_batch(clerk, cycle, w)
    for browser in (clerk, agent):
        type_batch(browser, batch, [{"kind": "valid", "project": cycle.park},
                                    {"kind": "spoiled"}])
    agent.post(f"/staff/paper/{batch.id}/validate")
    agent.post(f"/staff/cycles/{cycle.id}/close")
    run = tally.run_tally(w.users["staff"], cycle)
    tally.publish(w.users["staff"], cycle, run.id)
    page = agent.get(f"/cycles/{cycle.id}/results", headers=EN).get_data(as_text=True)
    assert "0 online, 1 on paper" in page
    assert "Blank or spoiled paper ballots (not counted)" in page


def test_the_dashboard_names_the_batches_that_keep_a_tally_from_publication(
        make_browser, w, cycle):
    clerk, agent = someone(make_browser, w, "northclerk"), someone(make_browser, w, "staff")
    batch = new_batch(clerk, cycle, w)
    agent.post(f"/staff/cycles/{cycle.id}/close")
    agent.post(f"/staff/cycles/{cycle.id}/tally")
    page = agent.get(f"/staff/cycles/{cycle.id}", headers=EN).get_data(as_text=True)
    assert "This tally is a preview and cannot be published" in page
    assert "Mairie, 12 mars" in page
    assert "Publish these results" not in page
    run = tally.latest_run(cycle)
    response = agent.post(f"/staff/cycles/{cycle.id}/publish", {"run_id": run.id}, headers=EN)
    assert response.status_code == 302 and run.published_at is None
    # The preview froze nothing: the batch is typed, validated, and a new run is published.
    for browser in (clerk, agent):
        type_batch(browser, batch, [{"kind": "valid", "project": cycle.park}, {"kind": "blank"}])
    assert agent.post(f"/staff/paper/{batch.id}/validate").status_code == 302
    agent.post(f"/staff/cycles/{cycle.id}/tally")
    page = agent.get(f"/staff/cycles/{cycle.id}", headers=EN).get_data(as_text=True)
    assert "Publish these results" in page
    run = tally.latest_run(cycle)
    assert agent.post(f"/staff/cycles/{cycle.id}/publish", {"run_id": run.id}).status_code == 302
    assert run.published_at is not None and run.result["ballots"] == 1


@pytest.mark.parametrize("kind", ["blank", "spoiled"])
def test_a_blank_or_spoiled_ballot_with_a_project_ticked_is_refused(make_browser, w, cycle,
                                                                     kind):
    clerk = someone(make_browser, w, "northclerk")
    batch = new_batch(clerk, cycle, w, count=1)
    clerk.post(f"/staff/paper/{batch.id}/start")
    response = clerk.post(f"/staff/paper/{batch.id}/ballots/1",
                          {"kind": kind, "project": cycle.park}, headers=EN)
    assert response.status_code == 422
    assert ("A blank or spoiled ballot has no choice to type: untick its projects, or mark "
            "the ballot valid if its choices count.") in response.get_data(as_text=True)
    assert not batch.entry(1).ballots
    assert clerk.post(f"/staff/paper/{batch.id}/ballots/1", {"kind": kind}).status_code == 302


def test_a_blank_cumulative_ballot_with_zero_points_is_saved(make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE, vote_format="cumulative",
                            vote_params={"total_points": 10, "max_per_project": 6})
    park = factories.project(cycle, w.north, "Parc", 4_000, w.users["alice"])
    clerk = someone(make_browser, w, "northclerk")
    batch = new_batch(clerk, cycle, w, count=1)
    clerk.post(f"/staff/paper/{batch.id}/start")
    url = f"/staff/paper/{batch.id}/ballots/1"
    refused = clerk.post(url, {"kind": "blank", f"points-{park.id}": "2"}, headers=EN)
    assert refused.status_code == 422
    assert clerk.post(url, {"kind": "blank", f"points-{park.id}": "0"}).status_code == 302


def test_the_compare_link_waits_for_both_entries(make_browser, w, cycle):
    clerk, agent = someone(make_browser, w, "northclerk"), someone(make_browser, w, "staff")
    batch = new_batch(clerk, cycle, w)
    url = f"/staff/paper/{batch.id}"
    assert "Compare the two entries" not in clerk.get(url, headers=EN).get_data(as_text=True)
    clerk.post(f"/staff/paper/{batch.id}/start")
    assert "Compare the two entries" not in clerk.get(url, headers=EN).get_data(as_text=True)
    agent.post(f"/staff/paper/{batch.id}/start")
    page = agent.get(url, headers=EN).get_data(as_text=True)
    assert "Compare the two entries (2 differences)" in page


def test_counts_on_a_batch_read_with_plurals_and_grouped_limits(make_browser, w, cycle):
    clerk = someone(make_browser, w, "northclerk")
    batch = new_batch(clerk, cycle, w, count=1)
    assert browser_text(clerk, f"/staff/paper/{batch.id}").count("1 bulletin papier compté") == 1
    clerk.post(f"/staff/paper/{batch.id}/start")
    assert "0 bulletin saisi sur 1" in browser_text(clerk, f"/staff/paper/{batch.id}")
    response = clerk.post(f"/staff/cycles/{cycle.id}/paper", {
        "commune": w.north.id, "label": "Mairie", "declared_count": 9999})
    assert "Un lot compte entre 1 et 5\u202f000 bulletins." in response.get_data(as_text=True)


def browser_text(browser, url: str) -> str:
    return browser.get(url).get_data(as_text=True)
