"""Merging a winner into another from the staff's form: both public pages (the project's and
"Suivi des projets") say "fusionné avec …" on each side; the API and open data carry it."""
from __future__ import annotations

import pytest

from budget.extensions import db
from budget.services import tracking_read
from tests import factories
from tests.services.tracking_helpers import published_cycle


@pytest.fixture
def pub(session):
    return published_cycle(factories.world())


def send(browser, proposal, **fields):
    data = {"stage": "studies", "progress": "0", "committed": "0", "spent": "0",
            "planned_delivery": "", "delivered_on": "", "abandon_reason": "",
            "delivered_by": "commune", "service": "", "merged_into": ""}
    data.update(fields)
    return browser.post(f"/staff/proposals/{proposal.id}/tracking", data)


def test_staff_merge_a_project_and_both_pages_name_the_other(pub, make_browser, browser):
    clerk = make_browser()
    clerk.login("northclerk@example.fr")
    form = clerk.get(f"/staff/proposals/{pub.jardin.id}/tracking").get_data(as_text=True)
    assert "Fusionné avec un autre projet" in form and "Piste cyclable" in form
    piste = tracking_read.of_proposal(pub.piste)
    assert send(clerk, pub.jardin, stage="merged",
                merged_into=str(piste.id)).status_code == 302
    merged = browser.get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Fusionné avec" in merged and f'href="/proposals/{pub.piste.id}"' in merged
    target = browser.get(f"/proposals/{pub.piste.id}").get_data(as_text=True)
    assert "Fusionné avec" in target and f'href="/proposals/{pub.jardin.id}"' in target
    listing = browser.get(f"/cycles/{pub.cycle.id}/tracking").get_data(as_text=True)
    assert listing.count("<dt>Fusionné avec</dt>") == 2
    api = browser.get(f"/api/v1/cycles/{pub.cycle.id}/tracking").get_json()["projects"]
    by_id = {p["proposal_id"]: p for p in api}
    assert by_id[pub.jardin.id]["stage"] == "merged"
    assert by_id[pub.jardin.id]["merged_into_proposal_id"] == pub.piste.id
    assert by_id[pub.piste.id]["merged_into_proposal_id"] is None


def test_a_merge_without_its_target_is_a_form_error_and_saves_nothing(pub, make_browser):
    clerk = make_browser()
    clerk.login("northclerk@example.fr")
    for target in ("", str(tracking_read.of_proposal(pub.jardin).id), "abc"):
        response = send(clerk, pub.jardin, stage="merged", merged_into=target)
        assert response.status_code == 422
    db.session.expire_all()
    assert tracking_read.of_proposal(pub.jardin).stage.value == "studies"


def test_the_project_page_keeps_its_whole_story_from_proposal_to_delivery(pub, browser):
    """Proposal, review (on the ballot), the vote's result with the rule's explanation, and
    the delivery; a project not funded says why, and has no delivery."""
    page = browser.get(f"/proposals/{pub.jardin.id}").get_data(as_text=True)
    assert "Jardin partagé" in page and "Soumise au vote" in page
    assert "Résultat du vote" in page and "Financé" in page
    assert page.index("Résultat du vote") < page.index("Réalisation du projet")
    loser = browser.get(f"/proposals/{pub.banc.id}").get_data(as_text=True)
    assert "Résultat du vote" in loser and "Non financé" in loser
    assert "Réalisation du projet" not in loser
