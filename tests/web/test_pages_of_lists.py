"""Lists that can grow are shown 50 rows a page, with their count and a pager (accounts, the
audit log, proposals to review, paper batches); error summaries name and link their fields."""
import re

import pytest

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import PaperBatch, Role
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    w = factories.world()
    for n in range(62):
        factories.user(f"resident{n:03d}@example.fr", w.north)
    db.session.commit()
    return w


def page_of(browser, url: str) -> str:
    response = browser.get(url, headers=EN)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_accounts_list_counts_every_account_and_shows_them_by_pages(make_browser, w):
    admin = someone(make_browser, w, "admin")
    first = page_of(admin, "/admin/accounts")
    assert "72 accounts · Page 1 of 2" in first  # 62 residents and the world's 10 people
    assert 'aria-current="page"' in first and 'aria-label="Pages of the accounts"' in first
    second = page_of(admin, "/admin/accounts?page=2")
    shown = set(re.findall(r"[\w.]+@example\.fr", first)) | set(re.findall(
        r"[\w.]+@example\.fr", second))
    assert len(shown) == 72


def test_a_search_keeps_its_words_from_page_to_page(make_browser, w):
    admin = someone(make_browser, w, "admin")
    page = page_of(admin, "/admin/accounts?q=resident")
    assert "62 accounts" in page
    assert "/admin/accounts?page=2&amp;q=resident" in page
    assert "alice@example.fr" not in page
    assert "1 account" in page_of(admin, "/admin/accounts?q=resident061")
    assert "No account matches." in page_of(admin, "/admin/accounts?q=%25_")  # taken literally


@pytest.mark.parametrize("asked, shown", [("abc", 1), ("0", 1), ("-3", 1), ("999", 2),
                                          ("9" * 40, 1), ("2", 2)])
def test_any_page_number_shows_a_page(make_browser, w, asked, shown):
    page = page_of(someone(make_browser, w, "admin"), f"/admin/accounts?page={asked}")
    assert f"Page {shown} of 2" in page


def test_the_old_addresses_of_admin_pages_lead_to_them(make_browser, w):
    admin = someone(make_browser, w, "admin")
    alice = w.users["alice"]
    for old, new in (("/staff/territories", "/admin/territories"),
                     ("/staff/accounts?q=alice", "/admin/accounts?q=alice"),
                     (f"/staff/accounts/{alice.id}", f"/admin/accounts/{alice.id}")):
        response = admin.get(old)
        assert response.status_code == 301 and response.headers["Location"] == new
    assert someone(make_browser, w, "alice").get("/staff/accounts").status_code == 403


def test_the_review_queue_is_shown_by_pages_and_keeps_its_filter(make_browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    for n in range(53):
        factories.project(cycle, w.north, f"Idée {n:02d}", 100, w.users["alice"],
                          Status.SUBMITTED)
    db.session.commit()
    staff = someone(make_browser, w, "staff")
    page = page_of(staff, f"/staff/cycles/{cycle.id}")
    assert "53 proposals · Page 1 of 2" in page and "Idée 49" in page and "Idée 50" not in page
    second = page_of(staff, f"/staff/cycles/{cycle.id}?commune={w.north.id}&page=2")
    assert "Idée 50" in second and "Idée 49" not in second
    assert f"/staff/cycles/{cycle.id}?page=1&amp;commune={w.north.id}#queue-heading" in second


def test_paper_batches_are_shown_by_pages_to_those_who_type_them(make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    for n in range(51):
        db.session.add(PaperBatch(cycle_id=cycle.id, commune_id=w.north.id,
                                  label=f"Nord {n:02d}", declared_count=1))
    db.session.add(PaperBatch(cycle_id=cycle.id, commune_id=w.south.id, label="Sud",
                              declared_count=1))
    db.session.commit()
    staff = page_of(someone(make_browser, w, "staff"), f"/staff/cycles/{cycle.id}/paper")
    assert "52 batches · Page 1 of 2" in staff
    clerk = page_of(someone(make_browser, w, "southclerk"), f"/staff/cycles/{cycle.id}/paper")
    assert "1 batch" in clerk and "Sud" in clerk and "Nord 00" not in clerk


def test_each_error_of_the_summary_names_its_field_and_links_to_it(make_browser, w):
    staff = someone(make_browser, w, "staff")
    response = staff.post(f"/staff/territories/{w.epci.id}/cycles/new", {
        "title": "", "vote_format": "approval", f"amount_{w.north.id}": ""}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<a href="#amount_{w.north.id}">Nordville: Enter a whole number.</a>' in page
    assert '<a href="#title">Title: ' in page
    french = staff.post(f"/staff/territories/{w.epci.id}/cycles/new",
                        {f"amount_{w.north.id}": ""}).get_data(as_text=True)
    assert "Nordville\u202f: Saisissez un nombre entier." in french


def test_repeated_forms_label_their_own_inputs(make_browser, w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    cycle.eligibility = EligibilityRules(proof=Proof.ACCESS_CODE).as_params()
    db.session.commit()
    page = page_of(someone(make_browser, w, "staff"), f"/staff/cycles/{cycle.id}/eligibility")
    for commune in (w.north, w.south):
        assert f'<label for="quantity-{commune.id}">' in page
        assert f'id="quantity-{commune.id}"' in page
    assert 'for="quantity"' not in page


def test_only_admins_reach_the_admin_pages(make_browser, w):
    assert w.users["staff"].role == Role.STAFF
    for url in ("/admin/accounts", "/admin/territories"):
        assert someone(make_browser, w, "staff").get(url).status_code == 403
