"""Admins import territories from a CSV file (all rows or none) and say who works where."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget.extensions import db
from budget.models import Commune, Intercommunality, Role, User
from tests import factories

SAMPLE = Path(__file__).parents[1] / "data" / "territories_dgcl_sample.csv"
EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


def upload(browser, content: bytes, name="communes.csv", **kwargs):
    return browser.post("/admin/territories", {"file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data", **kwargs)


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Intercommunality)),
            db.session.scalar(select(func.count()).select_from(Commune)))


def test_the_dgcl_register_is_imported(browser, w):
    browser.login("admin@example.fr")
    response = upload(browser, SAMPLE.read_bytes())
    assert response.status_code == 302, response.get_data(as_text=True)
    epci = db.session.scalar(select(Intercommunality).where(
        Intercommunality.siren == "241700459"))
    assert epci.name == "CC de l'Île de Ré"
    assert len(epci.communes) == 10
    saint_martin = db.session.scalar(select(Commune).where(Commune.insee_code == "17369"))
    assert (saint_martin.name, saint_martin.population) == ("Saint-Martin-de-Ré", 2300)
    page = browser.get("/admin/territories").get_data(as_text=True)
    assert "CC de l&#39;Île de Ré" in page


def test_the_import_report_counts_in_words_with_plurals(browser, w):
    browser.login("admin@example.fr")
    upload(browser, SAMPLE.read_bytes())
    page = browser.get("/admin/territories").get_data(as_text=True)
    assert ("Import terminé\u202f: 1 intercommunalité créée, 10 communes créées, "
            "0 mise à jour, 0 inchangée.") in page
    upload(browser, SAMPLE.read_bytes(), headers=EN)
    page = browser.get("/admin/territories", headers=EN).get_data(as_text=True)
    assert ("Imported: 0 intercommunalities created, 0 communes created, 0 updated, "
            "10 unchanged.") in page


def test_importing_again_updates_and_creates_nothing_twice(browser, w):
    browser.login("admin@example.fr")
    upload(browser, SAMPLE.read_bytes())
    before = counts()
    changed = SAMPLE.read_bytes().replace(b";2300", b";2310")
    assert upload(browser, changed).status_code == 302
    assert counts() == before
    assert db.session.scalar(select(Commune.population).where(
        Commune.insee_code == "17369")) == 2310


def test_our_short_format_and_windows_1252(browser, w):
    content = ("code_insee,nom_commune,population,siren_epci,nom_epci\n"
               "2A004,Ajaccio,71361,242010056,CA du Pays Ajaccien\n").encode("cp1252")
    browser.login("admin@example.fr")
    assert upload(browser, content).status_code == 302
    assert db.session.scalar(select(Commune.name).where(Commune.insee_code == "2A004")) == \
        "Ajaccio"


@pytest.mark.parametrize("bad_line, message", [
    ("1736;Trop court;100;241700459;CC de l'Île de Ré", "Line 3: “1736” is not an INSEE"),
    ("17999;Sans population;beaucoup;241700459;CC de l'Île de Ré", "Line 3: the population"),
    ("17999;Mauvais SIREN;100;24170045;CC de l'Île de Ré", "Line 3: “24170045” is not an EPCI"),
    ("17999;;100;241700459;CC de l'Île de Ré", "Line 3: the commune&#39;s name is missing"),
    ("17019;Ars-en-Ré;1271;241700459;CC de l'Île de Ré", "Line 3: the commune 17019 is already"),
    ("17999;Autre nom;100;241700459;CC Île de Ré", "Line 3: the SIREN 241700459 is named"),
])
def test_a_file_with_a_bad_row_imports_nothing(browser, w, bad_line, message):
    content = ("code_insee;nom_commune;population;siren_epci;nom_epci\n"
               "17019;Ars-en-Ré;1271;241700459;CC de l'Île de Ré\n"
               f"{bad_line}\n").encode()
    browser.login("admin@example.fr")
    before = counts()
    response = upload(browser, content, headers=EN)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts() == before


def test_a_commune_does_not_move_to_another_intercommunality(browser, w):
    content = (f"code_insee;nom_commune;population;siren_epci;nom_epci\n"
               f"{w.north.insee_code};Nordville;1000;241700459;CC de l'Île de Ré\n").encode()
    browser.login("admin@example.fr")
    response = upload(browser, content, headers=EN)
    assert response.status_code == 422
    assert "already belongs to CC Test" in response.get_data(as_text=True)
    assert counts() == (2, 3)


@pytest.mark.parametrize("content", [b"", b"nom;prenom\nA;B\n", b"\xff\xfe\x00garbage" * 3])
def test_unreadable_files_are_refused_clearly(browser, w, content):
    browser.login("admin@example.fr")
    response = upload(browser, content)
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert counts() == (2, 3)


@pytest.mark.parametrize("who", ["alice", "staff", "northclerk", "council", "otherstaff"])
def test_only_admins_manage_territories_and_accounts(browser, w, who):
    browser.login(f"{who}@example.fr")
    assert browser.get("/admin/territories").status_code == 403
    assert upload(browser, SAMPLE.read_bytes()).status_code == 403
    assert browser.get("/admin/accounts").status_code == 403
    alice = w.users["alice"]
    assert browser.post(f"/admin/accounts/{alice.id}",
                        {"role": "admin", "workplace": ""}).status_code == 403
    db.session.refresh(alice)
    assert alice.role == Role.CITIZEN
    assert counts() == (2, 3)


def test_an_admin_makes_a_resident_commune_staff(make_browser, w):
    admin, alice = make_browser(), make_browser()
    admin.login("admin@example.fr")
    person = w.users["alice"]
    assert "alice@example.fr" in admin.get("/admin/accounts?q=alice").get_data(as_text=True)
    response = admin.post(f"/admin/accounts/{person.id}",
                          {"role": "commune_staff", "workplace": f"commune-{w.north.id}"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.role, person.works_for_commune_id) == (Role.COMMUNE_STAFF, w.north.id)
    alice.login("alice@example.fr")
    assert alice.get("/staff/cycles").status_code == 200


@pytest.mark.parametrize("role, workplace", [("commune_staff", ""), ("commune_staff", "epci-1"),
                                             ("staff", ""), ("council", "commune-1"),
                                             ("staff", "epci-999")])
def test_a_role_needs_its_workplace(browser, w, role, workplace):
    browser.login("admin@example.fr")
    person = w.users["alice"]
    response = browser.post(f"/admin/accounts/{person.id}", {"role": role,
                                                             "workplace": workplace})
    assert response.status_code == 422
    assert 'id="workplace-error"' in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.role == Role.CITIZEN


def test_an_admin_keeps_their_own_role(browser, w):
    browser.login("admin@example.fr")
    admin = w.users["admin"]
    assert browser.post(f"/admin/accounts/{admin.id}",
                        {"role": "citizen", "workplace": ""}).status_code == 422
    assert db.session.get(User, admin.id).role == Role.ADMIN


def test_the_command_imports_the_same_file(app, session, tmp_path):
    result = app.test_cli_runner().invoke(args=["budget", "import-territories", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "10 communes created" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code_insee;nom_commune;population;siren_epci;nom_epci\n1;x;y;z;w\n")
    result = app.test_cli_runner().invoke(args=["budget", "import-territories", str(bad)])
    assert result.exit_code == 2
    assert "Line 2" in result.output and "Nothing was imported." in result.output
