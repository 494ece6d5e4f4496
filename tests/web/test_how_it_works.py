"""The "How it works" page: the cycle's phases, its vote format and its own rule in plain words,
with an example counted by that rule; linked from the ballot, the results page and the PDF;
no internal name reaches a resident."""
import html
import io
import re

import pytest
from pypdf import PdfReader

from budget.domain.phases import Phase
from budget.services import cycles, tally, voting
from budget.services.how_it_works import worked_example
from tests import factories

EN, FR = {"Accept-Language": "en"}, {"Accept-Language": "fr"}
INTERNAL = re.compile(r"mes-add1|mes-greedy|\bAdd1\b|\bapproval\b|knapsack|Sac à dos|"
                      r"\bgreedy\b|\(mes\)", re.IGNORECASE)


def page(browser, cycle, headers=FR) -> str:
    response = browser.get(f"/cycles/{cycle.id}/how-it-works", headers=headers)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def visible(text: str) -> str:
    """The words a reader sees: no tags, no attribute values, no script."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_the_example_is_counted_by_the_rule_itself(app):
    with app.test_request_context():
        greedy, shares = worked_example("greedy", "approval"), worked_example("mes-add1",
                                                                             "approval")
    assert greedy.order == ["playground", "bike-path"] and greedy.share is None
    assert greedy.satisfied() == 3 and greedy.spent == 80_000
    assert shares.order == ["playground", "garden"] and shares.share == 20_000
    assert shares.satisfied() == 5 and shares.satisfied(shares.compared) == 3
    assert [sum(v.paid.values()) for v in shares.voters] == [
        pytest.approx(40_000 / 3)] * 3 + [20_000] * 2


def test_a_greedy_cycle_explains_most_votes_first(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="greedy")
    english = visible(page(browser, cycle, EN))
    assert "How it works" in english and "Most votes first, skipping projects" in english
    assert "Projects are ranked by their number of votes" in english
    assert "You tick the projects you support. You may choose up to 2 projects" in english
    assert "your commune's and the intercommunal one" in english
    assert "Playground (€40,000, 3 votes): funded, in position 1" in english
    assert "Shared garden (€40,000, 2 votes): not funded" in english
    assert "3 voters out of 5 see at least one of their projects funded" in english
    assert "equal share" not in english
    french = visible(page(browser, cycle))
    assert "Comment ça marche" in french and "Les étapes" in french
    assert not INTERNAL.search(french), INTERNAL.search(french)


def test_an_equal_shares_cycle_explains_shares_and_its_completion(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes-add1", vote_format="knapsack",
                            vote_params={"min_share_percent": 50})
    text = page(browser, cycle, EN)
    assert "<svg" in text and 'aria-labelledby="example-caption"' in text
    english = visible(text)
    assert "Method of Equal Shares, with shares raised until the envelope is spent" in english
    assert "each voter's share is raised by one euro" in english
    assert "Playground (€40,000, 3 votes): funded, paid by 3 voters, at most €13,333.33 each" \
        in english
    assert "Shared garden (€40,000, 2 votes): funded, paid by 2 voters, at most €20,000.00" \
        in english
    assert "Each voter's equal share: €20,000." in english
    assert "5 voters out of 5 see at least one of their projects funded with this rule, and 3" \
        in english
    assert "choosing nothing in an envelope means you abstain there" in english
    french = visible(page(browser, cycle))
    assert "Méthode des parts égales" in french and "Pourquoi cette règle" in french
    assert not INTERNAL.search(french), INTERNAL.search(french)


def test_a_cumulative_cycle_counts_the_example_with_points(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes-points", vote_format="cumulative",
                            vote_params={"total_points": 10})
    english = visible(page(browser, cycle, EN))
    assert "You share out 10 points" in english and "With points:" in english
    assert "Method of Equal Shares (by points)" in english


def test_the_page_is_for_everyone_and_says_404_for_no_cycle(session, browser):
    assert browser.get("/cycles/999999/how-it-works").status_code == 404


def test_ballot_results_and_pdf_link_to_it(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE, rule="mes-add1")
    project = factories.project(cycle, w.north, "Jardin", 4_000, w.users["bob"])
    voting.cast(factories.user("v@example.fr", w.north), cycle, [project.id])
    link = f'href="/cycles/{cycle.id}/how-it-works"'
    browser.login("alice@example.fr")
    ballot = browser.get(f"/cycles/{cycle.id}/vote").get_data(as_text=True)
    assert link in ballot and "Comment les votes sont-ils comptés\u202f?" in ballot
    staff = w.users["staff"]
    cycles.close_vote(staff, cycle)
    tally.publish(staff, cycle, tally.run_tally(staff, cycle).id)
    results = html.unescape(browser.get(f"/cycles/{cycle.id}/results").get_data(as_text=True))
    assert link in results
    assert not INTERNAL.search(visible(results)), INTERNAL.search(visible(results))
    pdf = PdfReader(io.BytesIO(browser.get(f"/cycles/{cycle.id}/results.pdf",
                                           headers=EN).data))
    text = " ".join("\n".join(p.extract_text() for p in pdf.pages).split())
    assert f"How the rule works, with an example: http://localhost/cycles/{cycle.id}/how-it-" \
        in text
    assert "the cheaper one first; at equal cost, the one with more votes" in text
    assert "(mes-add1)" not in text
