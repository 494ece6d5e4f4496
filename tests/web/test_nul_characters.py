"""A NUL character in a request is refused with a French page, on every database (PostgreSQL
refuses NUL in any text, even in a query: found by tests/properties on PostgreSQL)."""
from sqlalchemy import func, select

from budget.models import User
from tests import factories


def test_a_nul_character_anywhere_in_a_request_is_refused(browser, session):
    w = factories.world()
    users = session.scalar(select(func.count()).select_from(User))
    for data in ({"email": "a\x00b@example.fr", "password": "x" * 12},
                 {"email\x00": "alice@example.fr"}):
        page = browser.post("/login", data)
        assert page.status_code == 400 and "Requête invalide" in page.get_data(as_text=True)
    registered = browser.post("/register", {
        "email": "new@example.fr", "display_name": "Nul\x00le", "home_commune_id": w.north.id,
        "password": "a long secret", "confirm": "a long secret"})
    assert registered.status_code == 400
    assert browser.get("/cycles/1?commune=%00").status_code == 400
    assert session.scalar(select(func.count()).select_from(User)) == users
