from config import TestingConfig


def test_every_page_links_the_accessibility_statement(browser, session):
    home = browser.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in home
    assert "Accessibilité\u202f: partiellement conforme" in home


def test_statement_gives_status_tests_contact_and_recourse(browser, session):
    response = browser.get("/accessibility")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert "partiellement conforme" in page
    assert "axe-core" in page
    assert f"mailto:{TestingConfig.ACCESSIBILITY_CONTACT}" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page
