"""Ids and counts of any size, in every place a request names one: never a server error.

The other property tests send these numbers among everything else, which reaches a given
field rarely; here every example puts one (NUMBERS: past PostgreSQL's and SQLite's INTEGER,
past int()'s 4,300 digits, "²") where an id or a count is read, the rest of the request being
valid, so that it reaches the database. tests/web/test_large_numbers.py holds the cases that
were server errors; test_every_form_number_is_bounded keeps new fields in line."""
import inspect

import pytest
from hypothesis import given, strategies as st
from wtforms import Field, IntegerField, RadioField, SelectField, SelectMultipleField

import budget.blueprints as blueprints_package
from budget.blueprints.numbers import BoundedIntegerField, bounded_int, optional_bounded_int
from budget.domain.phases import Phase
from budget.extensions import db
from budget.services import access_codes
from tests import factories
from tests.properties.conftest import HUGE, check

NUMBERS = st.one_of(st.sampled_from(HUGE), st.integers(2**31 - 2, 2**31 + 2).map(str),
                    st.integers(2**63 - 1, 2**63 + 1).map(str),
                    st.integers(-2**80, 2**80).map(str))
PASSWORD = factories.PASSWORD


@given(number=NUMBERS)
def test_register_with_any_commune_number(scene, session, number):
    browser = scene.browsers[None]
    browser.token()
    signed_out = browser.client.get_cookie("session").value
    check(session, lambda: browser.send("/register", {
        "email": "new@example.fr", "display_name": "Nouvelle", "home_commune_id": number,
        "password": PASSWORD, "confirm": PASSWORD}))
    browser.client.set_cookie("session", signed_out)  # "0…01" is Nordville: signed in then


@pytest.fixture
def cumulative(scene):
    cycle = factories.cycle(scene.w, Phase.VOTE, vote_format="cumulative",
                            vote_params={"total_points": 10, "max_per_project": 6})
    park = factories.project(cycle, scene.w.north, "Parc", 5_000, scene.w.users["bob"])
    db.session.commit()
    return cycle, park


@given(number=NUMBERS, as_key=st.booleans(), step=st.sampled_from(["review", "confirm"]))
def test_cumulative_ballot_with_any_number(scene, cumulative, session, number, as_key, step):
    cycle, park = cumulative
    sent = {f"points-{number}": "1"} if as_key else {f"points-{park.id}": number}
    check(session, lambda: scene.browsers["alice"].send(f"/cycles/{cycle.id}/vote/{step}",
                                                        sent))


@given(number=NUMBERS)
def test_staff_ids_of_any_size(scene, session, number):
    staff = scene.browsers["staff"]
    check(session, lambda: staff.send(f"/staff/cycles/{scene.results.id}/publish",
                                      {"run_id": number}))
    check(session, lambda: staff.send(f"/staff/proposals/{scene.submitted.id}/review",
                                      {"status": "merged", "merged_into_id": number}))
    check(session, lambda: staff.send(f"/staff/proposals/{scene.submitted.id}/review",
                                      {"status": "on_ballot", "final_cost": number}))


@given(number=NUMBERS, kind=st.sampled_from(["commune", "epci"]))
def test_workplace_of_any_number(staff_scene, session, number, kind):
    bob = staff_scene.s.w.users["bob"]
    role = "commune_staff" if kind == "commune" else "staff"
    check(session, lambda: staff_scene.browsers["admin"].send(
        f"/admin/accounts/{bob.id}", {"role": role, "workplace": f"{kind}-{number}"}))


@given(number=NUMBERS, name=st.sampled_from(["actor", "cycle", "page"]))
def test_audit_log_filtered_by_any_number(staff_scene, session, number, name):
    check(session, lambda: staff_scene.browsers["admin"].get(
        "/admin/audit", query_string={name: number}))


@given(number=NUMBERS)
def test_pages_for_any_number(scene, session, number):
    staff = scene.browsers["staff"]
    for url, query in [(f"/cycles/{scene.vote.id}", {"commune": number}),
                       (f"/staff/cycles/{scene.vote.id}", {"commune": number}),
                       (f"/staff/territories/{scene.w.epci.id}/cycles/new",
                        {"commune": number}),
                       (f"/proposals/{number}", {}), (f"/cycles/{number}/results", {})]:
        check(session, lambda url=url, query=query: staff.get(url, query_string=query))


@given(number=NUMBERS)
def test_counts_of_any_size(staff_scene, session, number):
    s, w = staff_scene, staff_scene.s.w
    envelope = s.s.proposals.envelopes[0].id
    check(session, lambda: s.browsers["alice"].send(
        f"/cycles/{s.s.proposals.id}/proposals/new",
        {"title": "Un banc", "description": "Sur la place.", "estimated_cost": number,
         "envelope_id": envelope}))
    check(session, lambda: s.browsers["alice"].send(
        f"/cycles/{s.s.proposals.id}/proposals/new",
        {"title": "Un banc", "description": "Sur la place.", "estimated_cost": "500",
         "envelope_id": number}))
    if not a_batch_of_codes_made(number):
        check(session, lambda: s.browsers["staff"].send(
            f"/staff/cycles/{s.coded.id}/communes/{w.north.id}/codes", {"quantity": number}))
    check(session, lambda: s.browsers["staff"].send(
        f"/staff/cycles/{s.s.vote.id}/paper",
        {"commune": number, "label": "Bureau 3", "declared_count": "2"}))
    check(session, lambda: s.browsers["staff"].send(
        f"/staff/cycles/{s.s.vote.id}/paper",
        {"commune": str(w.north.id), "label": "Bureau 3", "declared_count": number}))


def a_batch_of_codes_made(number: str) -> bool:
    """Whether `number`, written plainly, is a count of codes the form accepts (1 to 2,000):
    staff then get that many codes and a PDF letter for each. Those counts are left out here:
    they are one path, the largest tested in tests/web/test_eligibility_pages.py and small
    ones in test_eligibility_forms.py, while the letters (0.3 s a file, 1.5 ms a page) were two
    thirds of this test's time (157 s of CI with 1,000 examples). Every other number is sent:
    0, negatives, 2,001 and past, INTEGER's limits, 5,000 digits, "²", "0…01"."""
    return (number.isascii() and number.isdigit() and len(number) <= 4
            and number == str(int(number)) and 1 <= int(number) <= access_codes.MAX_BATCH)


def _form_fields():
    """(form class, field name, unbound field) of every WTForms form of the blueprints."""
    import pkgutil
    import importlib
    for module_info in pkgutil.walk_packages(blueprints_package.__path__, "budget.blueprints."):
        module = importlib.import_module(module_info.name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != module.__name__:
                continue
            for name, value in vars(form).items():
                if hasattr(value, "field_class"):
                    yield form, name, value


def test_every_form_number_is_bounded():
    """A new integer field or choice of ids must read numbers the bounded way."""
    unbounded = []
    for form, name, unbound in _form_fields():
        kind: type[Field] = unbound.field_class
        if issubclass(kind, IntegerField) and not issubclass(kind, BoundedIntegerField):
            unbounded.append(f"{form.__name__}.{name}")
        if issubclass(kind, (SelectField, RadioField, SelectMultipleField)):
            coerce = unbound.kwargs.get("coerce", str)
            if coerce not in (str, bounded_int, optional_bounded_int):
                unbounded.append(f"{form.__name__}.{name} (coerce={coerce!r})")
    assert unbounded == []
