"""What staff send when they record a council's decision: dates, numbers and outcomes of any
shape, PDFs that are not PDFs, councils that are not theirs."""
import io

from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form, path_id, picture

ROUTES = {"/staff/cycles/<int:cycle_id>/adoption"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILES = st.one_of(st.sampled_from([PDF, b"", b"%PDF-", PDF[:-7], b"<html></html>",
                                   picture("PNG"), b"%PDF-9.9\n%%EOF"]),
                  st.binary(max_size=2_000))


@given(data=st.data())
def test_record_adoption(staff_scene, session, data):
    s = staff_scene.s
    cycle_id = data.draw(path_id(s.results.id, s.counting.id))
    who = data.draw(st.sampled_from(["staff", "northclerk", "alice"]))
    sent = data.draw(form(
        body=anything_or("community", str(s.w.north.id), str(s.w.south.id), "0"),
        session_date=anything_or("2026-12-07", "2099-01-01", "2000-01-01", "07/12/2026"),
        deliberation_number=anything_or("2027-045", "n° 12", "=1+1", "x" * 41),
        outcome=anything_or("adopted", "adopted_amended", "rejected", "adjourned")))
    if data.draw(st.booleans()):
        sent["pdf"] = (io.BytesIO(data.draw(FILES)), data.draw(
            st.sampled_from(["deliberation.pdf", "x.exe", "", "../../a.pdf"])),
            data.draw(st.sampled_from(["application/pdf", "text/html", ""])))
    elif data.draw(st.booleans()):
        sent["pdf"] = data.draw(TEXT)
    browser = s.browsers[who] if who in s.browsers else staff_scene.browsers[who]
    check(session, lambda: browser.client.post(
        f"/staff/cycles/{cycle_id}/adoption", data={"csrf_token": browser.token(), **sent},
        content_type="multipart/form-data"))
