"""The record of processing (GDPR register) of a cycle: a PDF drawn from the cycle's settings,
for the staff who run the cycle."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import PaperBatch
from budget.services import kiosks
from tests import factories


def text_of(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_the_record_follows_the_cycles_rules(make_browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.eligibility = EligibilityRules(minimum_age=16, reference_date=date(2027, 3, 1),
                                         sworn_residence=True, proof=Proof.CENSUS).as_params()
    db.session.add(PaperBatch(cycle_id=cycle.id, commune_id=w.north.id, label="Mairie",
                              declared_count=3))
    plain = factories.cycle(w, Phase.VOTE)
    db.session.commit()
    staff = make_browser()
    staff.login("staff@example.fr")
    response = staff.get(f"/staff/cycles/{cycle.id}/processing-record.pdf")
    assert f"registre-traitement-cycle-{cycle.id}.pdf" in response.headers["Content-Disposition"]
    text = text_of(response)
    assert "Registre des activités de traitement" in text and "CC Test (200000001)" in text
    assert "Mission d’intérêt public" in text
    assert "Date de naissance" in text and "l’âge minimum de 16 ans au 1 mars 2027" in text
    assert "Liste de recensement" in text and "Bulletins papier" in text
    assert "purge-eligibility" in text
    assert "Codes d’accès" not in text
    plain_text = text_of(staff.get(f"/staff/cycles/{plain.id}/processing-record.pdf"))
    for absent in ("Date de naissance", "Liste de recensement", "Bulletins papier",
                   "La déclaration du votant"):
        assert absent not in plain_text
    assert "Qui a voté" in plain_text and "Bulletins : choix, commune, jour" in plain_text


def test_a_communes_own_cycle_names_the_commune_as_controller(make_browser, session):
    w = factories.world()
    cycle = factories.commune_cycle(w, Phase.PROPOSALS)
    cycle.eligibility = EligibilityRules(proof=Proof.ACCESS_CODE).as_params()
    db.session.commit()
    clerk = make_browser()
    clerk.login("northclerk@example.fr")
    text = text_of(clerk.get(f"/staff/cycles/{cycle.id}/processing-record.pdf"))
    assert "Nordville (99001)" in text and "Codes d’accès" in text


def test_only_the_cycles_staff_download_it(make_browser, session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    for who, status in (("alice", 403), ("otherstaff", 403), ("council", 403)):
        browser = make_browser()
        browser.login(f"{who}@example.fr")
        assert browser.get(f"/staff/cycles/{cycle.id}/processing-record.pdf").status_code \
            == status, who


def test_franceconnect_and_kiosks_are_in_the_record_of_a_cycle_that_uses_them(make_browser,
                                                                             session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.eligibility = EligibilityRules(minimum_age=16, reference_date=date(2027, 3, 1),
                                         proof=Proof.IDENTITY_PROVIDER).as_params()
    db.session.commit()
    kiosks.add_station(w.users["northclerk"], cycle, w.north, "Mairie, salle 2")
    staff = make_browser()
    staff.login("staff@example.fr")
    text = text_of(staff.get(f"/staff/cycles/{cycle.id}/processing-record.pdf"))
    assert "Identité vérifiée par FranceConnect" in text and "empreinte à clé" in text
    assert "Vote en personne à une borne" in text
    assert "identifiés par FranceConnect" in text
    assert "Liste de recensement" not in text and "inscrits sur la liste" not in text
