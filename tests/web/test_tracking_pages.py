"""The tracking pages: the public "Suivi des projets" page and its filters, the staff's update
form with its errors, milestones with a photo, the project page's history, the residents'
delivery emails (opted in on the account) and the API."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.mail import outbox
from budget.models import Theme, TrackingPhoto, User
from budget.models.time import utcnow
from budget.services import follow_digest, tracking, tracking_read
from tests import factories
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


@pytest.fixture
def pub(session, uploads):
    return published_cycle(factories.world())


def signed_in(make_browser, who):
    browser = make_browser()
    browser.login(f"{who}@example.fr")
    return browser


def update(browser, proposal, **fields):
    data = {"stage": "studies", "progress": "0", "committed": "0", "spent": "0",
            "planned_delivery": "", "delivered_on": "", "abandon_reason": "",
            "delivered_by": "commune", "service": ""}
    data.update(fields)
    return browser.post(f"/staff/proposals/{proposal.id}/tracking", data)


def test_the_public_page_lists_each_winner_with_its_delivery(pub, browser):
    page = browser.get(f"/cycles/{pub.cycle.id}/tracking").get_data(as_text=True)
    assert "Suivi des projets" in page
    for title in ("Jardin partagé", "Préau", "Piste cyclable"):
        assert title in page
    assert "Banc" not in page, "a project that was not funded is not tracked"
    assert "Études" in page and "0\u00a0% réalisé" in page
    assert "0\u00a0€ sur 6\u202f000\u00a0€ votés" in page
    assert '<progress id="progress-' in page
    assert "Livraison par commune" in page and "<table>" in page


def test_the_filters_keep_one_commune_or_one_stage(pub, browser, make_browser):
    tracking.update(pub.w.users["southclerk"], tracking_read.of_proposal(pub.preau),
                    tracking.TrackingUpdate(
                        stage=tracking.Stage.WORKS, progress=30, committed=10_000, spent=0,
                        planned_delivery=None, delivered_on=None, abandon_reason="",
                        service="", delivered_by_commune=True))
    url = f"/cycles/{pub.cycle.id}/tracking"

    def titles(query):
        page = browser.get(url + query).get_data(as_text=True)
        return {t for t in ("Jardin partagé", "Préau", "Piste cyclable")
                if f">{t}</a></h3>" in page}

    assert titles(f"?commune={pub.w.north.id}") == {"Jardin partagé"}
    assert titles("?commune=intercommunal") == {"Piste cyclable"}
    assert titles("?stage=works") == {"Préau"}
    assert titles("?commune=nonsense&stage=nonsense") == {"Jardin partagé", "Préau",
                                                          "Piste cyclable"}


def test_the_theme_filter_keeps_the_winners_of_that_theme(pub, browser):
    nature = Theme(cycle_id=pub.cycle.id, name="Nature", icon="tree")
    mobility = Theme(cycle_id=pub.cycle.id, name="Mobilité", icon="bicycle")
    pub.jardin.themes = [nature]
    pub.preau.themes = [nature, mobility]
    db.session.commit()
    url = f"/cycles/{pub.cycle.id}/tracking"

    def titles(query):
        page = browser.get(url + query).get_data(as_text=True)
        return {t for t in ("Jardin partagé", "Préau", "Piste cyclable")
                if f">{t}</a></h3>" in page}
    assert titles(f"?theme={nature.id}") == {"Jardin partagé", "Préau"}
    assert titles(f"?theme={mobility.id}") == {"Préau"}
    assert titles("?theme=999999") == titles("") == {"Jardin partagé", "Préau",
                                                      "Piste cyclable"}
    assert f'<option value="{mobility.id}" selected>Mobilité</option>' in browser.get(
        f"{url}?theme={mobility.id}").get_data(as_text=True)


def test_there_is_no_tracking_before_the_results(session, browser):
    w = factories.world()
    cycle = factories.cycle(w, Phase.COUNTING)
    assert browser.get(f"/cycles/{cycle.id}/tracking").status_code == 404
    assert browser.get(f"/api/v1/cycles/{cycle.id}/tracking").status_code == 404


def test_commune_staff_update_stage_money_and_date_and_the_project_page_tells_it(
        pub, make_browser, browser):
    clerk = signed_in(make_browser, "northclerk")
    assert update(clerk, pub.jardin, planned_delivery="2027-03-15").status_code == 302
    response = update(clerk, pub.jardin, stage="works", progress="45", committed="5500",
                      spent="2000", planned_delivery="2027-06-30", service="Voirie")
    assert response.status_code == 302
    page = browser.get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Réalisation du projet" in page
    assert "Travaux" in page and "45\u00a0% réalisé" in page
    assert "Prévu pour juin 2027, annoncé d’abord pour mars 2027" in page
    assert ("2\u202f000\u00a0€ dépensés et 5\u202f500\u00a0€ engagés, sur 6\u202f000\u00a0€ "
            "votés") in page
    assert "Nordville — Voirie" in page


def test_bad_input_gives_form_errors_and_saves_nothing(pub, make_browser):
    clerk = signed_in(make_browser, "northclerk")
    response = update(clerk, pub.jardin, stage="abandoned", progress="140", committed="100",
                      spent="-5")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "L’avancement est un pourcentage, de 0 à 100." in page
    assert "Entrez un nombre entier d’euros, de 0 à 100\u202f000\u202f000." in page
    response = update(clerk, pub.jardin, stage="abandoned", committed="100", spent="500")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dites publiquement pourquoi le projet est abandonné." in page
    assert "L’argent dépensé ne peut pas dépasser l’argent engagé." in page
    db.session.expire_all()
    assert tracking_read.of_proposal(pub.jardin).stage.value == "studies"


def test_staff_of_another_commune_are_refused(pub, make_browser):
    south = signed_in(make_browser, "southclerk")
    assert south.get(f"/staff/proposals/{pub.jardin.id}/tracking").status_code == 403
    assert update(south, pub.jardin, progress="10").status_code == 403
    assert south.get(f"/staff/proposals/{pub.preau.id}/tracking").status_code == 200


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "orange").save(out, "PNG")
    return out.getvalue()


def test_a_milestone_with_a_photo_is_shown_to_everyone(pub, make_browser, browser):
    clerk = signed_in(make_browser, "northclerk")
    day = (tracking.today() + timedelta(days=3)).isoformat()
    response = clerk.post(f"/staff/proposals/{pub.jardin.id}/tracking/milestones", {
        "happened_on": day, "text": "Plantation des arbres",
        "photo": (io.BytesIO(png()), "arbres.png", "image/png"),
        "alt_text": "Les arbres livrés sur le terrain"}, content_type="multipart/form-data")
    assert response.status_code == 302
    photo = db.session.scalar(select(TrackingPhoto))
    public = browser.get(f"/cycles/{pub.cycle.id}/tracking").get_data(as_text=True)
    assert "Prochain jalon" in public and "Plantation des arbres" in public
    assert f"/tracking/photos/{photo.token}/thumbnail" in public
    image = browser.get(f"/tracking/photos/{photo.token}")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    missing = clerk.post(f"/staff/proposals/{pub.jardin.id}/tracking/milestones", {
        "happened_on": "", "text": ""}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert "Donnez la date du jalon." in missing.get_data(as_text=True)


def test_opted_in_residents_of_the_commune_get_the_stage_changes_in_their_digest(
        pub, make_browser):
    alice = signed_in(make_browser, "alice")
    assert alice.post("/account/notifications", {"notify_delivery": "y"}).status_code == 302
    assert db.session.get(User, pub.w.users["alice"].id).notify_delivery
    for who in ("bob", "staff"):  # bob lives in Sudville; staff did not opt in
        assert not db.session.get(User, pub.w.users[who].id).notify_delivery
    clerk = signed_in(make_browser, "northclerk")
    before = len(outbox())
    update(clerk, pub.jardin, progress="20")  # no change of stage: no news
    update(clerk, pub.jardin, stage="works", progress="30")
    assert len(outbox()) == before, "grouped in the daily digest, not one email a change"
    follow_digest.send_digests(lambda pid: f"https://budget.example/proposals/{pid}",
                               lambda token: f"https://budget.example/unfollow/{token}",
                               utcnow() + timedelta(seconds=1))
    [message] = outbox()[before:]
    assert message["To"] == "alice@example.fr"
    body = message.get_content()
    assert "« Jardin partagé »" in body and "Travaux" in body
    assert f"/proposals/{pub.jardin.id}" in body and "/unfollow/" in body


def test_the_api_lists_each_winners_tracking(pub, browser):
    tracking.add_milestone(pub.w.users["staff"], tracking_read.of_proposal(pub.piste),
                           "Études de tracé", tracking.today())
    data = browser.get(f"/api/v1/cycles/{pub.cycle.id}/tracking").get_json()
    assert data["cycle_id"] == pub.cycle.id
    by_title = {p["title"]: p for p in data["projects"]}
    assert set(by_title) == {"Jardin partagé", "Préau", "Piste cyclable"}
    piste = by_title["Piste cyclable"]
    assert (piste["stage"], piste["progress"], piste["voted_eur"], piste["committed_eur"],
            piste["spent_eur"], piste["planned_delivery"], piste["delivered_on"]) == (
        "studies", 0, 50_000, 0, 0, None, None)
    assert piste["delivered_by"]["kind"] == "intercommunality"
    assert piste["milestones"] == [{"date": tracking.today().isoformat(),
                                    "text": "Études de tracé", "photos": []}]
    spec = browser.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/cycles/{cycle_id}/tracking" in spec["paths"]
    assert set(spec["components"]["schemas"]["Tracking"]["required"]) <= set(piste)


def test_the_audit_log_tells_each_delivery_change_in_words(pub, make_browser):
    update(signed_in(make_browser, "northclerk"), pub.jardin, stage="works", progress="10",
           committed="3000")
    page = signed_in(make_browser, "admin").get(f"/admin/audit?cycle={pub.cycle.id}"
                                                ).get_data(as_text=True)
    assert "Fiches de suivi des lauréats créées" in page
    assert "Réalisation d’un projet mise à jour" in page
    assert "Études → Travaux" in page and "3\u202f000\u00a0€" in page


def test_an_intercommunal_project_is_delivered_by_the_intercommunality_only(pub, make_browser):
    staff = signed_in(make_browser, "staff")
    page = staff.get(f"/staff/proposals/{pub.piste.id}/tracking").get_data(as_text=True)
    assert 'value="intercommunality"' in page and 'value="commune"' not in page
    response = update(staff, pub.piste, delivered_by="commune", progress="5")
    assert response.status_code == 422
    assert staff.get(f"/staff/cycles/{pub.cycle.id}/tracking").status_code == 200
