"""What residents read about their codes: examples a code could be, and the letter's closing
time (issue 17, item 14)."""
import io
import re
from datetime import datetime, timezone

from pypdf import PdfReader

from budget.domain.eligibility import Proof
from budget.domain.phases import Phase
from budget.domain.receipts import ALPHABET
from budget.extensions import db
from budget.services import cycles, tally
from tests import factories
from tests.conftest import someone
from tests.web.test_eligibility_pages import codes_of, cycle_with, generate

EN = {"Accept-Language": "en"}
EXAMPLE = re.compile(r"(?i:for example|par exemple) ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


def examples_in(page: str) -> list[str]:
    return EXAMPLE.findall(page)


def test_the_receipt_code_example_uses_only_letters_codes_use(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    staff = w.users["staff"]
    cycles.close_vote(staff, cycle)
    tally.publish(staff, cycle, tally.run_tally(staff, cycle).id)
    for headers in (EN, {"Accept-Language": "fr"}):
        page = browser.get(f"/cycles/{cycle.id}/receipt", headers=headers)
        [example] = examples_in(page.get_data(as_text=True))
        assert set(example.replace("-", "")) <= set(ALPHABET), example


def test_the_access_code_example_uses_only_letters_codes_use(session, make_browser):
    w = factories.world()
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    page = someone(make_browser, w, "alice").get(f"/cycles/{cycle.id}/vote/eligibility",
                                                 headers=EN)
    [example] = examples_in(page.get_data(as_text=True))
    assert set(example.replace("-", "")) <= set(ALPHABET), example


def test_the_access_code_letter_says_when_the_vote_closes(session, make_browser):
    w = factories.world()
    cycle = cycle_with(w, Proof.ACCESS_CODE, phase=Phase.VOTE)
    # 17:30 UTC in December is 18:30 in Paris, the time residents read.
    end = cycle.vote_end
    cycle.vote_end = datetime(end.year, end.month, end.day, 17, 30, tzinfo=timezone.utc)
    db.session.commit()
    response = generate(someone(make_browser, w, "northclerk"), cycle, w.north, 1)
    _, pdf = codes_of(response)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "à 18:30" in text or "at 18:30" in text, text
