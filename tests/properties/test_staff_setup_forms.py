"""What staff and the admin send to set things up and take results out: a commune's envelope
(as the commune's clerk and as intercommunal staff), export jobs, territory files (real and
mutated CSV)."""
import io

import pytest
from hypothesis import given, strategies as st

from tests.commands.test_csv_import_fuzz import OUR_TERRITORIES, TERRITORIES, mutated
from tests.properties.conftest import TEXT, anything_or, check, form, path_id

ROUTES = {"/staff/cycles/<int:cycle_id>/envelopes/<int:envelope_id>",
          "/staff/cycles/<int:cycle_id>/exports/<format_name>", "/admin/territories"}


@given(data=st.data())
def test_envelope(staff_scene, session, data):
    scene = staff_scene.s
    envelopes = {e.commune_id: e.id for e in scene.proposals.envelopes}
    cycle_id, envelope_id = data.draw(st.sampled_from([
        (scene.proposals.id, envelopes[scene.w.north.id]),
        (scene.proposals.id, envelopes[scene.w.south.id]),
        (scene.proposals.id, envelopes[None]),
        (scene.vote.id, scene.vote.envelopes[1].id),
        (scene.proposals.id, scene.vote.envelopes[1].id)]) | st.tuples(
        path_id(scene.proposals.id), path_id(envelopes[scene.w.north.id])))
    sent = data.draw(form(amount=anything_or(10_000, 0, 10**12), own_limits=anything_or("y"),
                          min_choices=anything_or(0, 1, 3), max_choices=anything_or(2, "", 0),
                          min_share_percent=anything_or(50), total_points=anything_or(10),
                          max_per_project=anything_or(5), save=anything_or("1")))
    who = data.draw(st.sampled_from(["staff", "northclerk"]))
    check(session, lambda: scene.browsers[who].send(
        f"/staff/cycles/{cycle_id}/envelopes/{envelope_id}", sent))


@given(data=st.data())
def test_export(scene, session, data):
    cycle_id = data.draw(path_id(scene.results.id, scene.counting.id, scene.vote.id))
    format_name = data.draw(st.sampled_from([True, True, False]).flatmap(
        lambda known: st.sampled_from(["csv", "json", "xlsx", "pdf"]) if known
        else TEXT.filter(lambda name: name.strip() and "/" not in name)))
    sent = data.draw(form())
    check(session, lambda: scene.browsers["staff"].send(
        f"/staff/cycles/{cycle_id}/exports/{format_name}", sent))


TERRITORY_FILES = st.one_of(mutated([TERRITORIES, OUR_TERRITORIES]),
                            st.sampled_from([TERRITORIES, OUR_TERRITORIES]),
                            st.binary(max_size=300))


@given(data=st.data())
def test_territory_upload(staff_scene, session, data):
    s = staff_scene
    sent = data.draw(form())
    if data.draw(st.sampled_from([True, True, False])):
        sent["file"] = (io.BytesIO(data.draw(TERRITORY_FILES)),
                        data.draw(st.one_of(st.just("communes.csv"), TEXT)))
    who = data.draw(st.sampled_from(["admin", "admin", "staff"]))
    browser = s.browsers[who]
    check(session, lambda: browser.client.post(
        "/admin/territories", data={"csrf_token": browser.token(), **sent},
        content_type="multipart/form-data"))


@pytest.mark.parametrize("who, url, field", [
    ("alice", "/proposals/{s.submitted.id}/photos", "photo"),
    ("northclerk", "/staff/cycles/{checked.id}/communes/{s.w.north.id}/census", "census_file"),
    ("admin", "/admin/territories", "file"),
])
def test_an_upload_over_the_body_limit_is_refused(staff_scene, session, app, who, url, field):
    browser = staff_scene.browsers[who]
    too_big = io.BytesIO(b"x" * app.config["MAX_CONTENT_LENGTH"])
    url = url.format(s=staff_scene.s, checked=staff_scene.checked)
    assert check(session, lambda: browser.client.post(
        url, data={"csrf_token": browser.token(), field: (too_big, "big.csv")},
        content_type="multipart/form-data")) == 413
