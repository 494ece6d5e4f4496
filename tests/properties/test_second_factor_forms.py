"""The second step of a staff sign-in, fed anything: a code page and a set-up page, each with a
person half-way through signing in (REQUIRE_STAFF_TOTP on)."""
import pytest
from hypothesis import given, strategies as st

from budget.models import SecondFactor
from tests.properties.conftest import FormBrowser, anything_or, check, form

ROUTES = {"/login/code", "/login/setup-code"}


@pytest.fixture
def half_signed_in(app, scene, session, make_browser, monkeypatch):
    """{route: a browser that gave the right password and stands before that route}."""
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_TOTP", True)
    council = scene.w.users["council"]
    session.add(SecondFactor(user_id=council.id, secret="JBSWY3DPEHPK3PXP",
                             recovery_hashes=["0" * 64]))
    session.flush()
    council_factor = session.get(SecondFactor, council.id)
    council_factor.confirmed_at = council.created_at
    session.commit()
    browsers = {}
    for route, email in (("/login/setup-code", "staff@example.fr"),
                         ("/login/code", "council@example.fr")):
        browser = FormBrowser(make_browser().client)
        response = browser.send("/login", {"email": email, "password": "correct horse battery"})
        assert response.headers["Location"] == route
        browser.get(route)  # the set-up page makes its secret
        browsers[route] = browser
    return browsers


@given(data=st.data())
def test_second_factor_codes(half_signed_in, session, data):
    route = data.draw(st.sampled_from(sorted(ROUTES)))
    sent = data.draw(form(code=anything_or("000000", "123 456", "ABCDE-12345", "")))
    check(session, lambda: half_signed_in[route].send(route, sent))
