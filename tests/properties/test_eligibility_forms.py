"""What staff send about who may vote: the cycle's rules, census lists (CSV files, real and
mutated), access codes, people who voted on paper."""
import io

from hypothesis import given, strategies as st

from tests.commands.test_csv_import_fuzz import CENSUS, mutated
from tests.properties.conftest import anything_or, check, form, path_id

ROUTES = {"/staff/cycles/<int:cycle_id>/eligibility",
          "/staff/cycles/<int:cycle_id>/communes/<int:commune_id>/census",
          "/staff/cycles/<int:cycle_id>/communes/<int:commune_id>/codes",
          "/staff/cycles/<int:cycle_id>/communes/<int:commune_id>/codes/withdraw",
          "/staff/cycles/<int:cycle_id>/paper-voters"}
STAFF = st.sampled_from(["staff", "northclerk"])


def communes(s):
    return path_id(s.s.w.north.id, s.s.w.south.id, s.s.w.elsewhere.id)


@given(data=st.data())
def test_rules(staff_scene, session, data):
    s = staff_scene
    cycle_id = data.draw(path_id(s.s.proposals.id, s.checked.id))
    sent = data.draw(form(minimum_age=anything_or(16, 18, 0, 121),
                          reference_date=anything_or("2027-03-01", "2027-02-30"),
                          sworn_residence=anything_or("y"),
                          proof=anything_or("none", "census", "access_code")))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{cycle_id}/eligibility", sent))


CENSUS_FILES = st.one_of(mutated([CENSUS]), st.just(CENSUS), st.binary(max_size=300))


@given(data=st.data())
def test_census_upload(staff_scene, session, data):
    s = staff_scene
    cycle_id, commune_id = data.draw(path_id(s.checked.id, s.coded.id)), data.draw(communes(s))
    sent = data.draw(form())
    if data.draw(st.sampled_from([True, True, False])):
        sent["census_file"] = (io.BytesIO(data.draw(CENSUS_FILES)),
                               data.draw(anything_or("liste.csv", "liste.xlsx")))
    browser = s.browsers[data.draw(STAFF)]
    check(session, lambda: browser.client.post(
        f"/staff/cycles/{cycle_id}/communes/{commune_id}/census",
        data={"csrf_token": browser.token(), **sent}, content_type="multipart/form-data"))


@given(data=st.data())
def test_codes(staff_scene, session, data):
    s = staff_scene
    cycle_id, commune_id = data.draw(path_id(s.coded.id, s.checked.id)), data.draw(communes(s))
    action = data.draw(st.sampled_from(["codes", "codes/withdraw"]))
    # 2,000 codes is allowed, but its letters (a PDF) would make this test the slowest.
    sent = data.draw(form(quantity=anything_or(1, 3, 2001, 0)))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{cycle_id}/communes/{commune_id}/{action}", sent))


@given(data=st.data())
def test_paper_voter(staff_scene, session, data):
    s = staff_scene
    w = s.s.w
    cycle_id = data.draw(path_id(s.checked.id, s.coded.id, s.s.vote.id))
    sent = data.draw(form(commune=anything_or(w.north.id, w.south.id, w.elsewhere.id),
                          identifier=anything_or("LISTE-1", "liste-2", "LISTE-9"),
                          birth_date=anything_or("1980-03-02", "1975-06-15", "2099-01-01"),
                          code=anything_or(*s.codes, "AAAA-BBBB-CCCC", "")))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{cycle_id}/paper-voters", sent))
