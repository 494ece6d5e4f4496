"""The whole journey, in French, as people do it: a resident registers and proposes on a phone,
staff review on a desktop, residents vote on phones (375 and 320 px wide), staff close, tally
and publish, the resident reads the results, checks their receipt and downloads the CSV."""
from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import expect

from budget.services.demo import NEXT_CYCLE_TITLE
from tests.browser.conftest import DESKTOP, PHONE, SMALL_PHONE

RESIDENT = "lea.durand@example.fr"
PASSWORD = "un mot de passe solide"
PROJECT = "Potager partagé derrière la médiathèque"


def a_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def mail_to(live_server, address: str) -> list:
    return [m for m in live_server.outbox() if m["To"] == address]


def sign_in(page, check_page, email, password, name=None):
    page.goto("/login")
    if name:
        check_page(page, name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_the_whole_journey(live_server, new_page, check_page):
    cycle_id = live_server.cycle_id(NEXT_CYCLE_TITLE)

    # A resident discovers the platform and registers on a phone.
    resident = new_page(PHONE)
    resident.goto("/")
    check_page(resident, "home-phone")
    resident.get_by_role("link", name="Créer un compte").click()
    check_page(resident, "register")
    resident.get_by_role("button", name="Créer mon compte").click()
    expect(resident.get_by_role("alert")).to_contain_text("Veuillez corriger")
    check_page(resident, "register-errors")
    resident.get_by_label("Adresse électronique").fill(RESIDENT)
    resident.get_by_label("Nom affiché sur vos propositions").fill("Léa Durand")
    resident.get_by_label("Votre commune").select_option(label="La Flotte (17161)")
    resident.get_by_label("Mot de passe (10 caractères minimum)").fill(PASSWORD)
    resident.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    resident.get_by_label(re.compile("M’envoyer un courriel quand les résultats")).check()
    resident.get_by_role("button", name="Créer mon compte").click()
    # The page says the same whether or not the address had an account: she is not signed
    # in yet.
    expect(resident.get_by_role("status").first).to_contain_text(RESIDENT)
    check_page(resident, "registered-confirm-email")
    # She opens the link of the confirmation email, then signs in: from then on she may
    # propose and vote.
    [confirmation_mail] = mail_to(live_server, RESIDENT)
    link = re.search(r"https?://[^/\s]+(/account/verify/\S+)", confirmation_mail.get_content())
    resident.goto(link.group(1))
    check_page(resident, "email-confirmed")
    sign_in(resident, check_page, RESIDENT, PASSWORD)
    resident.get_by_role("link", name="Léa Durand").click()
    expect(resident.get_by_label(re.compile("M’envoyer un courriel"))).to_be_checked()
    check_page(resident, "account")
    resident.get_by_role("link", name=re.compile("Accessibilité")).click()
    check_page(resident, "accessibility-statement")

    # She proposes a project in the cycle open for proposals.
    resident.goto(f"/cycles/{cycle_id}")
    check_page(resident, "cycle-proposals-phase")
    resident.get_by_role("link", name="Déposer une proposition").click()
    check_page(resident, "proposal-form")
    resident.get_by_label("Titre").fill(PROJECT)
    resident.get_by_label("Description").fill("Des bacs de culture ouverts à tous, "
                                              "entretenus avec l'école voisine.")
    resident.get_by_label("Coût estimé, en euros").fill("6000")
    resident.get_by_label(re.compile("La Flotte")).check()
    # The map appears (JavaScript); a click on it fills in the coordinates.
    resident.locator("[data-map-picker]").click()
    expect(resident.get_by_label("Latitude")).not_to_have_value("")
    expect(resident.get_by_label("Longitude")).not_to_have_value("")
    check_page(resident, "proposal-form-located")
    resident.get_by_role("button", name="Déposer ma proposition").click()
    expect(resident.get_by_role("status")).to_be_visible()
    check_page(resident, "proposal-submitted")
    # She adds a photo from the edit page; the proposal's page shows it.
    resident.get_by_role("link", name="Modifier").click()
    resident.get_by_label(re.compile("^Photo \\(JPEG")).set_input_files(files=[{
        "name": "terrain.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}])
    resident.get_by_label(re.compile("Ce que montre la photo")).fill("Le terrain vu de la rue")
    resident.get_by_role("button", name="Ajouter la photo").click()
    expect(resident.get_by_role("img", name="Le terrain vu de la rue")).to_be_visible()
    check_page(resident, "proposal-edit-photos")
    resident.get_by_role("link", name="Budget participatif 2027").click()
    resident.get_by_role("link", name=PROJECT).first.click()
    expect(resident.get_by_role("img", name="Le terrain vu de la rue")).to_be_visible()
    resident.get_by_role("link", name="Carte des propositions de l’édition").click()
    expect(resident.locator(".leaflet-marker-icon")).to_have_count(1)
    check_page(resident, "proposals-map")

    # Staff review it on a desktop and put it on the ballot.
    staff = new_page(DESKTOP)
    sign_in(staff, check_page, "agent@demo.budget.fr", "agent-demo-2026", "login")
    staff.goto(f"/staff/cycles/{cycle_id}")
    check_page(staff, "staff-dashboard-proposals")
    staff.get_by_role("link", name=PROJECT).click()
    check_page(staff, "staff-review")
    staff.get_by_label("Réalisable : la soumettre au vote").check()
    staff.get_by_label(re.compile("Coût définitif")).fill("6500")
    staff.get_by_label(re.compile("Pourquoi le coût final diffère")).fill(
        "Devis de l'entreprise retenue, pose comprise.")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff.get_by_role("status")).to_contain_text("Décision enregistrée")
    decision = mail_to(live_server, RESIDENT)[-1]
    assert decision["Subject"] == "Votre proposition est soumise au vote"

    # Time passes: the vote opens. She votes on her phone.
    live_server.open_vote(NEXT_CYCLE_TITLE)
    resident.goto(f"/cycles/{cycle_id}")
    check_page(resident, "cycle-vote-phase")
    resident.get_by_role("link", name="Voter maintenant").click()
    check_page(resident, "ballot-phone")
    resident.get_by_label(re.compile(PROJECT)).check()
    resident.get_by_role("button", name="Relire mon bulletin").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Vérifiez votre bulletin")
    check_page(resident, "ballot-review-phone")
    # She asks for the winners' delivery news: kept on her account, never with her ballot.
    resident.get_by_label(re.compile("nouvelles des projets lauréats")).check()
    resident.get_by_role("button", name="Confirmer mon vote").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    check_page(resident, "receipt-phone")
    code = resident.locator(".receipt").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{10,}", code), code
    confirmation = mail_to(live_server, RESIDENT)[-1]
    assert code in confirmation.get_content() and PROJECT not in confirmation.get_content()

    # Another resident votes on a small phone (320 px).
    neighbour = new_page(SMALL_PHONE)
    sign_in(neighbour, check_page, "habitant@demo.budget.fr", "habitant-demo-2026")
    neighbour.goto(f"/cycles/{cycle_id}/vote")
    check_page(neighbour, "ballot-320")
    assert neighbour.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    neighbour.get_by_label(re.compile(PROJECT)).check()
    neighbour.get_by_role("button", name="Relire mon bulletin").click()
    neighbour.get_by_role("button", name="Confirmer mon vote").click()
    expect(neighbour.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    check_page(neighbour, "receipt-320")

    # Staff close the vote, run the tally, check the preview and publish.
    staff.goto(f"/staff/cycles/{cycle_id}")
    check_page(staff, "staff-dashboard-vote")
    # Closing cannot be undone: the button leads to a page that says what will happen.
    staff.get_by_role("link", name="Clore le vote maintenant").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Clore le vote ?")
    expect(staff.locator("main")).to_contain_text("dans l’urne")
    check_page(staff, "staff-confirm-close")
    staff.get_by_role("button", name="Oui, clore le vote maintenant").click()
    staff.get_by_role("button", name="Lancer le dépouillement").click()
    expect(staff.get_by_role("status")).to_contain_text("dépouillement")
    check_page(staff, "staff-dashboard-counted")
    staff.get_by_role("link", name="Voir les résultats").click()
    check_page(staff, "results-preview")
    staff.go_back()

    # A council member reaches the preview by links only: the header, then the cycle page.
    council = new_page(PHONE)
    sign_in(council, check_page, "elu@demo.budget.fr", "elu-demo-2026")
    council.get_by_role("link", name=f"Aperçu des résultats : {NEXT_CYCLE_TITLE}").click()
    expect(council.locator("main")).to_contain_text(PROJECT)
    check_page(council, "results-preview-council")
    council.goto(f"/cycles/{cycle_id}")
    council.get_by_role("link", name="Voir l’aperçu des résultats").click()
    expect(council.locator("main")).to_contain_text(PROJECT)

    staff.get_by_role("link", name="Publier ces résultats").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Publier ces résultats ?")
    expect(staff.locator("main")).to_contain_text("en ligne")
    check_page(staff, "staff-confirm-publish")
    staff.get_by_role("button", name="Oui, publier ces résultats").click()
    expect(staff.get_by_role("status")).to_contain_text("publiés")
    assert mail_to(live_server, RESIDENT)[-1]["Subject"].startswith("Les résultats de")
    assert not any("publiés" in m["Subject"] for m in mail_to(live_server,
                                                              "habitant@demo.budget.fr"))

    # The resident reads the results, checks her receipt and downloads the CSV.
    resident.goto(f"/cycles/{cycle_id}")
    resident.get_by_role("link", name="Voir les résultats").first.click()
    expect(resident.get_by_role("heading", level=1)).to_be_visible()
    expect(resident.locator("main")).to_contain_text(PROJECT)
    check_page(resident, "results-phone")
    # The "how to check" commands wrap: the page never scrolls sideways on a phone.
    assert resident.evaluate("document.documentElement.scrollWidth") <= resident.viewport_size[
        "width"]
    with resident.expect_download() as download:
        resident.get_by_role("link", name=re.compile("CSV")).click()
    csv_text = download.value.path().read_text("utf-8-sig")
    assert PROJECT in csv_text
    resident.get_by_role("link", name=re.compile("reçu")).click()
    resident.get_by_label("Code de reçu").fill(code)
    resident.get_by_role("button", name="Vérifier").click()
    expect(resident.get_by_role("status")).to_contain_text(PROJECT)
    check_page(resident, "receipt-check")
