"""What staff send about a winner's delivery (stage, progress, money, dates, milestones with a
photo) and the tracking API, asked anything: never a server error, a refusal writes nothing."""
import io

import pytest
from hypothesis import given, strategies as st

from budget.services import tracking, tracking_read
from tests.properties.conftest import TEXT, anything_or, check, form, path_id, picture

ROUTES = {"/staff/proposals/<int:proposal_id>/tracking",
          "/staff/proposals/<int:proposal_id>/tracking/milestones",
          "/staff/tracking/milestones/<int:milestone_id>/delete",
          "/api/v1/cycles/<int:cycle_id>/tracking"}
DAYS = ("2026-12-01", "2027-06-30", "2099-01-01", "1900-01-01")


@pytest.fixture
def tracked(scene, app, tmp_path, monkeypatch, make_browser):
    """The published cycle's winner (Nordville's Jardin), with one milestone; and the clerk."""
    from tests.properties.conftest import FormBrowser

    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    [record] = tracking_read.of_cycle(scene.results)
    milestone = tracking.add_milestone(scene.w.users["staff"], record, "Études lancées",
                                       tracking.today())
    browser = FormBrowser(make_browser().client)
    browser.login("northclerk@example.fr")
    scene.browsers["northclerk"] = browser
    return record, milestone


@given(data=st.data())
def test_update(scene, tracked, session, data):
    record, _ = tracked
    proposal_id = data.draw(path_id(record.proposal_id, scene.park.id))
    who = data.draw(st.sampled_from(["northclerk", "staff", "alice"]))
    sent = data.draw(form(
        stage=anything_or("studies", "works", "delivered", "abandoned", "merged"),
        merged_into=anything_or(record.id, record.id + 1, ""),
        progress=anything_or(0, 45, 100, 101), committed=anything_or(0, 3_000),
        spent=anything_or(0, 2_000, 5_000), planned_delivery=anything_or(*DAYS),
        delivered_on=anything_or(*DAYS), abandon_reason=anything_or("Trop cher.", ""),
        delivered_by=anything_or("commune", "intercommunality"),
        service=anything_or("Voirie")))
    check(session, lambda: scene.browsers[who].send(
        f"/staff/proposals/{proposal_id}/tracking", sent))


@given(data=st.data())
def test_add_milestone(scene, tracked, session, data):
    record, _ = tracked
    proposal_id = data.draw(path_id(record.proposal_id))
    sent = data.draw(form(happened_on=anything_or(*DAYS), text=anything_or("Travaux lancés"),
                          alt_text=anything_or("Le chantier")))
    if data.draw(st.booleans()):
        content = data.draw(st.one_of(st.sampled_from(["PNG", "JPEG"]).map(picture),
                                      st.binary(max_size=500)))
        sent["photo"] = (io.BytesIO(content), "photo.png", "image/png")
    browser = scene.browsers["northclerk"]
    check(session, lambda: browser.client.post(
        f"/staff/proposals/{proposal_id}/tracking/milestones",
        data={"csrf_token": browser.token(), **sent}, content_type="multipart/form-data"))


@given(data=st.data())
def test_delete_milestone(scene, tracked, session, data):
    _, milestone = tracked
    milestone_id = data.draw(path_id(milestone.id))
    who = data.draw(st.sampled_from(["northclerk", "alice"]))
    check(session, lambda: scene.browsers[who].send(
        f"/staff/tracking/milestones/{milestone_id}/delete", data.draw(form())))


@given(data=st.data())
def test_tracking_api(scene, session, data):
    cycle_id = data.draw(path_id(scene.results.id, scene.vote.id))
    query = data.draw(st.dictionaries(TEXT, TEXT, max_size=3))
    check(session, lambda: scene.browsers[None].get(f"/api/v1/cycles/{cycle_id}/tracking",
                                                    query_string=query))
