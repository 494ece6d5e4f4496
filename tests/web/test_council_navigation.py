"""A council member reaches the results preview by links only (issue 17, item 3): the header
and the cycle page offer what the policy lets each person do now."""
import html
import re

import pytest
from sqlalchemy import event

from budget.domain.phases import Phase
from budget.extensions import db
from budget.services import cycles, tally
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def counting(w):
    """A closed vote (one ballot-free project), not tallied yet."""
    cycle = factories.cycle(w, Phase.VOTE)
    factories.project(cycle, w.north, "Parc", 4_000, w.users["bob"])
    cycles.close_vote(w.users["staff"], cycle)
    return cycle


def page(browser, url: str) -> str:
    response = browser.get(url, headers=EN)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def href_of(text: str, content: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text) + r"\s*</a>",
                      content)
    return match and match.group(1)


def test_a_council_member_reaches_the_preview_by_links_only(make_browser, w, counting):
    council = someone(make_browser, w, "council")
    tally.run_tally(w.users["staff"], counting)
    home = page(council, "/")
    header_link = href_of("Results preview: Budget test", home)
    assert header_link == f"/cycles/{counting.id}/results"
    cycle_link = href_of("See the results preview", page(council, f"/cycles/{counting.id}"))
    assert cycle_link == f"/cycles/{counting.id}/results"
    preview = page(council, cycle_link)
    assert "notice-warning" in preview  # marked as a preview


def test_before_the_tally_the_council_is_told_where_the_preview_will_be(make_browser, w,
                                                                       counting):
    council = someone(make_browser, w, "council")
    header_link = href_of("Results preview: Budget test", page(council, "/"))
    assert header_link == f"/cycles/{counting.id}"
    cycle_page = page(council, header_link)
    assert "The results preview appears here once staff have run the tally." in cycle_page
    assert href_of("See the results preview", cycle_page) is None


@pytest.mark.parametrize("who", ["alice", "othercouncil"])
def test_people_who_may_not_preview_get_no_link(make_browser, w, counting, who):
    tally.run_tally(w.users["staff"], counting)
    browser = someone(make_browser, w, who)
    content = page(browser, f"/cycles/{counting.id}")
    assert "Results preview" not in content and "See the results preview" not in content
    assert browser.get(f"/cycles/{counting.id}/results").status_code == 404


def test_staff_find_the_preview_on_the_cycle_page_too(make_browser, w, counting):
    tally.run_tally(w.users["staff"], counting)
    content = page(someone(make_browser, w, "staff"), f"/cycles/{counting.id}")
    assert href_of("See the results preview", content) == f"/cycles/{counting.id}/results"


def test_once_published_the_header_offers_no_preview(make_browser, w, counting):
    run = tally.run_tally(w.users["staff"], counting)
    tally.publish(w.users["staff"], counting, run.id)
    content = page(someone(make_browser, w, "council"), f"/cycles/{counting.id}")
    assert "Results preview" not in content
    assert href_of("See the results", content) == f"/cycles/{counting.id}/results"


def test_a_residents_pages_do_not_read_every_cycle_for_the_header(make_browser, w, counting):
    """The header's preview links are for council members: a resident's page (each page they
    open shows the header) does not list the territory's cycles to find none."""
    browser = someone(make_browser, w, "alice")
    statements = []

    def record(connection, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page(browser, "/account")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert not [s for s in statements if re.search(r"FROM budget_cycles\s+ORDER BY", s)], \
        statements
