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


def test_entries_read_in_french_words_not_developer_names(make_browser, w):
    clerk = w.users["northclerk"]
    audit.record(w.users["admin"], "account.role", clerk,
                 before={"role": "citizen", "workplace": None},
                 after={"role": "commune_staff", "workplace": "Nordville"})
    audit.record(w.users["staff"], "cycle.update", cycle=7,
                 before={"title": "Budget 2026", "total_amount": 300000, "vote_end": None},
                 after={"title": "Budget 2026", "total_amount": 300652,
                        "vote_end": "2026-06-30T21:59:00"})
    db.session.commit()
    page = someone(make_browser, w, "admin").get("/admin/audit").get_data(as_text=True)
    n = "\u202f"
    assert "Rôle modifié" in page and f"compte n°\u00a0{clerk.id}" in page
    assert f"rôle{n}: Habitant → Agent communal" in page
    assert f"montant total{n}: 300{n}000\u00a0€ → 300{n}652\u00a0€" in page
    assert f"clôture du vote{n}: — → 30 juin 2026, 23:59" in page  # Paris time
    assert "titre" not in page.split("Réglages de l’édition modifiés")[1].split("</tr>")[0]
    table = page.split("<tbody>")[1]
    for developer_word in ("account.role", "users ", "&#34;role&#34;", "(staff", "operator)"):
        assert developer_word not in table


def test_the_command_line_is_named_in_words(make_browser, w):
    from budget.services.policy import SYSTEM_OPERATOR

    audit.record(SYSTEM_OPERATOR, "eligibility.purge", cycle=7,
                 after={"declarations": 1234, "list_entries": 0, "codes": 2})
    db.session.commit()
    page = someone(make_browser, w, "admin").get("/admin/audit").get_data(as_text=True)
    assert "Opérateur du système (ligne de commande)" in page
    assert "Données de participation effacées" in page
    assert "déclarations\u202f: 1\u202f234" in page
    english = someone(make_browser, w, "admin").get("/admin/audit", headers=EN)
    assert "declarations: 1,234" in english.get_data(as_text=True)


def test_the_raw_entries_download_as_json_with_the_same_filters(make_browser, w):
    admin = someone(make_browser, w, "admin")
    page = admin.get("/admin/audit?action=paper.create_batch").get_data(as_text=True)
    assert "/admin/audit/entries.json?" in page
    response = admin.get("/admin/audit/entries.json?action=paper.create_batch&page=1")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    [entry] = response.get_json()
    assert entry["action"] == "paper.create_batch"
    assert entry["after"] == {"label": "Mairie de Nordville"} and len(entry["hash"]) == 64
    assert len(admin.get("/admin/audit/entries.json?page=2").get_json()) == 6
    assert admin.get("/admin/audit/entries.json?cycle=abc").status_code == 422
    assert someone(make_browser, w, "staff").get(
        "/admin/audit/entries.json").status_code == 403


def test_settings_read_with_the_labels_their_forms_show(make_browser, w):
    audit.record(w.users["staff"], "cycle.update", cycle=7,
                 before={"vote_format": "approval", "vote_params": {"max_choices": 3}},
                 after={"vote_format": "knapsack", "vote_params": {"max_choices": 5}})
    audit.record(w.users["northclerk"], "eligibility.paper_voter", w.north, cycle=7,
                 after={"identified_by": "code"})
    db.session.commit()
    page = someone(make_browser, w, "admin").get("/admin/audit").get_data(as_text=True)
    assert "mode de vote\u202f: Approbation\u202f: choisir des projets → Sac à dos" in page
    assert "limites du vote › nombre maximum de projets\u202f: 3 → 5" in page
    assert f"commune n°\u00a0{w.north.id}" in page and "identifié par\u202f: Code d’accès" in page
