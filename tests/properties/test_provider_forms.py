"""The two pages of a first sign-in through an identity provider (create an account, or link
one with its password), sent anything: with or without a pending identity in the session, a
pending identity that names an existing account or none, expired or not, with any form."""
import time

import pytest
from hypothesis import given, strategies as st

from budget.blueprints.auth.provider_views import PENDING_KEY
from tests.properties.conftest import anything_or, check, form

ROUTES = {"/login/provider/link", "/login/provider/new"}
PENDING = st.one_of(st.none(), st.fixed_dictionaries({
    "subject_hash": anything_or("a" * 64, ""),
    "email": anything_or("alice@example.fr", "new@example.fr", None),
    "email_trusted": st.booleans(),
    "given_name": anything_or("Marie", ""),
    "birth_date": anything_or("1970-05-01", "2020-01-01", "01/05/1970", None),
    "id_token": st.just("x.y.z"),
    "since": st.sampled_from([int(time.time()), 0])}))


@pytest.fixture
def provider_on(app, monkeypatch):
    """The sign-in switched on; these pages never call the provider (the callback did)."""
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://identite.example.fr")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "budget")


@given(data=st.data())
def test_first_sign_in_pages(scene, provider_on, session, data):
    browser = scene.browsers[None]
    pending = data.draw(PENDING)
    with browser.client.session_transaction() as stored:
        stored.pop(PENDING_KEY, None)
        if pending is not None:
            stored[PENDING_KEY] = pending
    url = data.draw(st.sampled_from(sorted(ROUTES)))
    sent = data.draw(form(password=anything_or("correct horse battery staple", "wrong"),
                          display_name=anything_or("Marie", "", "x" * 200),
                          home_commune_id=anything_or(scene.w.north.id, scene.w.south.id, 0)))
    check(session, lambda: browser.send(url, sent))
