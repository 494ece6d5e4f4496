"""The audit log page: admins only; filters and pages."""
import pytest

from budget.extensions import db
from budget.services import audit
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    w = factories.world()
    for n in range(55):
        audit.record(w.users["staff"], "cycle.update", cycle=7, after={"title": f"v{n}"})
    audit.record(w.users["northclerk"], "paper.create_batch", cycle=8,
                 after={"label": "Mairie de Nordville"})
    db.session.commit()
    return w


@pytest.mark.parametrize("who", ["staff", "northclerk", "council", "alice"])
def test_only_admins_read_the_audit_log(make_browser, w, who):
    assert someone(make_browser, w, who).get("/admin/audit").status_code == 403


def test_visitors_are_sent_to_sign_in(make_browser, w):
    response = someone(make_browser, w, None).get("/admin/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admins_browse_newest_first_by_pages(make_browser, w):
    admin = someone(make_browser, w, "admin")
    page = admin.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "56 entries" in page and "Page 1 of 2" in page
    assert page.index("Mairie de Nordville") < page.index("v54")
    second = admin.get("/admin/audit?page=2", headers=EN).get_data(as_text=True)
    assert "v0" in second and "v54" not in second


def test_admins_filter_the_log(make_browser, w):
    admin = someone(make_browser, w, "admin")
    page = admin.get("/admin/audit?action=paper.create_batch", headers=EN).get_data(as_text=True)
    assert "1 entry" in page and "Mairie de Nordville" in page
    page = admin.get("/admin/audit?cycle=7&actor=staff&since=2000-01-01",
                     headers=EN).get_data(as_text=True)
    assert "55 entries" in page
    page = admin.get("/admin/audit?until=2000-01-01", headers=EN).get_data(as_text=True)
    assert "No entry matches." in page
    response = admin.get("/admin/audit?cycle=abc", headers=EN)
    assert response.status_code == 422
