"""The desk's confirmation of a voter checked by the identity provider, sent anything: by
staff of the station's commune or not, by a resident, with or without a started check and a
verified identity in the session (another station's, junk, expired, too young, no date of
birth), with any form. Never a 5xx, and a refusal writes nothing."""
import time
from datetime import date

import pytest
from hypothesis import given, strategies as st

from budget.blueprints.kiosk.desk_provider import CHECKED_KEY, STARTED_KEY
from budget.domain.eligibility import EligibilityRules, Proof
from budget.extensions import db
from budget.services import identity_hash, kiosks
from tests.properties.conftest import FormBrowser, anything_or, check, form

ROUTES = {"/staff/desk/provider/checked"}


@pytest.fixture
def desk_scene(scene, make_browser):
    """A station of a cycle in its vote whose proof is FranceConnect, with an age rule and the
    sworn statement; the browsers of Nordville's clerk and of Sudville's."""
    cycle = scene.vote
    cycle.eligibility = EligibilityRules(minimum_age=16, reference_date=date(2026, 12, 1),
                                         sworn_residence=True,
                                         proof=Proof.IDENTITY_PROVIDER).as_params()
    db.session.commit()
    station = kiosks.add_station(scene.w.users["northclerk"], cycle, scene.w.north, "Mairie")
    for who in ("northclerk", "southclerk"):
        browser = FormBrowser(make_browser().client)
        browser.login(f"{who}@example.fr")
        scene.browsers[who] = browser
    return scene, station


@given(data=st.data())
def test_desk_confirmation(desk_scene, session, data):
    scene, station = desk_scene
    browser = scene.browsers[data.draw(st.sampled_from(["northclerk", "southclerk", "staff",
                                                        "alice"]))]
    started = data.draw(st.one_of(st.none(), st.just([station.cycle_id, station.id]),
                                  st.just([station.cycle_id, 999_999]),
                                  st.just(["x", station.id]), st.just("junk")))
    checked = data.draw(st.one_of(st.none(), st.fixed_dictionaries({
        "subject_hash": anything_or(identity_hash.subject_hash("https://fc.example", "fc-1"),
                                    ""),
        "email": st.just(None), "email_trusted": st.booleans(),
        "given_name": anything_or("Marie", ""),
        "birth_date": anything_or("1970-05-01", "2015-01-01", "01/05/1970", None),
        "since": st.sampled_from([int(time.time()), 0])})))
    with browser.client.session_transaction() as stored:
        for key, value in ((STARTED_KEY, started), (CHECKED_KEY, checked)):
            stored.pop(key, None)
            if value is not None:
                stored[key] = value
    sent = data.draw(form(sworn_residence=anything_or("y", "")))
    check(session, lambda: browser.send("/staff/desk/provider/checked", sent))
