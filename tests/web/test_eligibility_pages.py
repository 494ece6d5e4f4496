"""Who may vote, through the pages: the voter's questions before the ballot, staff setting the
rules, uploading census lists, generating access codes (ZIP of CSV and PDF letters), recording
paper voters; and people of other territories kept out."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.services import access_codes
from tests import factories
from tests.conftest import someone

EN = {"Accept-Language": "en"}
CENSUS = "identifiant;date_de_naissance\nNORD-1;02/03/1980\nNORD-2;15/06/1975\n".encode()


@pytest.fixture
def w(session):
    return factories.world()


def cycle_with(w, proof=Proof.NONE, phase=Phase.VOTE, **rules):
    cycle = factories.cycle(w, phase)
    cycle.eligibility = EligibilityRules(proof=proof, **rules).as_params()
    cycle.park_id = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"]).id
    db.session.commit()
    return cycle


def upload(browser, cycle, commune, data: bytes):
    return browser.post(f"/staff/cycles/{cycle.id}/communes/{commune.id}/census",
                        {"census_file": (io.BytesIO(data), "liste.csv")},
                        content_type="multipart/form-data", headers=EN)


def generate(browser, cycle, commune, quantity):
    return browser.post(f"/staff/cycles/{cycle.id}/communes/{commune.id}/codes",
                        {"quantity": str(quantity)})


def codes_of(response) -> tuple[list[str], bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    [csv_name] = [name for name in archive.namelist() if name.endswith(".csv")]
    [pdf_name] = [name for name in archive.namelist() if name.endswith(".pdf")]
    rows = list(csv.reader(io.StringIO(archive.read(csv_name).decode("utf-8-sig")),
                           delimiter=";"))
    return [row[2] for row in rows[1:]], archive.read(pdf_name)


def test_a_voter_answers_the_questions_before_the_ballot(w, make_browser):
    cycle = cycle_with(w, Proof.CENSUS, sworn_residence=True)
    upload(someone(make_browser, w, "northclerk"), cycle, w.north, CENSUS)
    alice = someone(make_browser, w, "alice")
    response = alice.get(f"/cycles/{cycle.id}/vote")
    assert response.headers["Location"].endswith(f"/cycles/{cycle.id}/vote/eligibility")
    page = alice.get(f"/cycles/{cycle.id}/vote/eligibility").get_data(as_text=True)
    assert 'name="identifier"' in page and 'name="birth_date"' in page
    assert "Nordville" in page and 'name="code"' not in page
    refused = alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                         {"identifier": "NORD-1", "birth_date": "1980-03-03"}, headers=EN)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Nobody on the list has this identifier" in text and "Tick the box" in text
    accepted = alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                          {"identifier": "nord-1", "birth_date": "1980-03-02",
                           "sworn_residence": "y"})
    assert accepted.headers["Location"].endswith(f"/cycles/{cycle.id}/vote")
    assert alice.get(f"/cycles/{cycle.id}/vote").status_code == 200
    ballot = alice.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [cycle.park_id]})
    assert ballot.status_code == 200 and 'class="receipt"' in ballot.get_data(as_text=True)


def test_the_refusal_is_in_french_by_default(w, make_browser):
    cycle = cycle_with(w, minimum_age=16, reference_date=date(2026, 12, 1))
    alice = someone(make_browser, w, "alice")
    refused = alice.post(f"/cycles/{cycle.id}/vote/eligibility", {"birth_date": "2015-01-01"})
    assert refused.status_code == 422
    assert "au moins 16 ans au 1 décembre 2026" in refused.get_data(as_text=True)


def test_staff_set_the_rules_until_the_vote_opens(w, make_browser):
    cycle = factories.cycle(w, Phase.REVIEW)
    staff = someone(make_browser, w, "staff")
    saved = staff.post(f"/staff/cycles/{cycle.id}/eligibility",
                       {"minimum_age": "16", "reference_date": "2027-03-01",
                        "sworn_residence": "y", "proof": "access_code"})
    assert saved.status_code == 302
    assert cycle.eligibility_rules == EligibilityRules(16, date(2027, 3, 1), True,
                                                       Proof.ACCESS_CODE)
    missing = staff.post(f"/staff/cycles/{cycle.id}/eligibility",
                         {"minimum_age": "16", "proof": "none"}, headers=EN)
    assert missing.status_code == 422
    assert "Give the date on which the minimum age applies" in missing.get_data(as_text=True)
    frozen = factories.cycle(w, Phase.VOTE)
    page = staff.get(f"/staff/cycles/{frozen.id}/eligibility", headers=EN)
    assert "can only change before the vote opens" in page.get_data(as_text=True)
    late = staff.post(f"/staff/cycles/{frozen.id}/eligibility", {"proof": "census"})
    assert late.status_code == 422 and frozen.eligibility is None


def test_a_census_upload_reports_bad_lines_and_imports_nothing(w, make_browser):
    cycle = cycle_with(w, Proof.CENSUS)
    clerk = someone(make_browser, w, "northclerk")
    bad = upload(clerk, cycle, w.north, CENSUS + b"NORD-3;31/02/1990\n")
    assert bad.status_code == 422
    assert "Line 4: “31/02/1990” is not a date of birth" in bad.get_data(as_text=True)
    assert upload(clerk, cycle, w.north, CENSUS).status_code == 302
    page = clerk.get(f"/staff/cycles/{cycle.id}/eligibility", headers=EN)
    assert "2 people on the list" in page.get_data(as_text=True)


def test_access_codes_download_as_csv_and_pdf_letters_and_open_one_ballot(w, make_browser):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    response = generate(someone(make_browser, w, "northclerk"), cycle, w.north, 3)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    codes, pdf = codes_of(response)
    assert len(codes) == 3 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", c)
                                   for c in codes)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) == 3
    alice = someone(make_browser, w, "alice")
    assert alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                      {"code": codes[0]}).status_code == 302
    staff = someone(make_browser, w, "staff")
    reused = staff.post(f"/cycles/{cycle.id}/vote/eligibility", {"code": codes[0]},
                        headers=EN)
    assert reused.status_code == 422
    assert "This access code has already been used." in reused.get_data(as_text=True)


def test_the_largest_batch_of_codes_downloads_with_a_letter_for_each(w, make_browser):
    """2,000 codes, the most a batch may hold (access_codes.MAX_BATCH); one more is refused.
    tests/properties/test_numbers.py sends every other count."""
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    clerk = someone(make_browser, w, "northclerk")
    response = generate(clerk, cycle, w.north, access_codes.MAX_BATCH)
    assert response.status_code == 200
    codes, pdf = codes_of(response)
    assert len(set(codes)) == access_codes.MAX_BATCH
    assert len(re.findall(rb"/Type /Page\b", pdf)) == access_codes.MAX_BATCH
    assert generate(clerk, cycle, w.north, access_codes.MAX_BATCH + 1).status_code == 422


def test_the_access_code_list_never_starts_a_formula_with_a_commune_name(w, make_browser):
    w.north.name = '=HYPERLINK("http://evil.example","Nordville")'  # from a territory CSV
    db.session.commit()
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    response = generate(someone(make_browser, w, "northclerk"), cycle, w.north, 2)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".csv")]
        text = archive.read(name).decode("utf-8-sig")
    _, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert [row[1] for row in rows] == ["'=HYPERLINK(\"http://evil.example\",\"Nordville\")"] * 2


def test_letters_show_a_title_that_looks_like_a_page_count_alias_as_written(w, make_browser):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    cycle.title = "Budget {nb} de la ville"
    db.session.commit()
    _, pdf = codes_of(generate(someone(make_browser, w, "northclerk"), cycle, w.north, 2))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("Budget {nb} de la ville") == 2


def test_a_code_of_another_commune_is_refused(w, make_browser):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    codes, _ = codes_of(generate(someone(make_browser, w, "southclerk"), cycle, w.south, 1))
    alice = someone(make_browser, w, "alice")
    refused = alice.post(f"/cycles/{cycle.id}/vote/eligibility", {"code": codes[0]},
                         headers=EN)
    assert refused.status_code == 422
    assert "sent to another commune" in refused.get_data(as_text=True)


def test_a_paper_vote_then_blocks_the_online_ballot_and_vice_versa(w, make_browser):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    codes, _ = codes_of(generate(someone(make_browser, w, "staff"), cycle, w.north, 2))
    clerk = someone(make_browser, w, "northclerk")
    page = clerk.get(f"/staff/cycles/{cycle.id}/paper-voters")
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    recorded = clerk.post(f"/staff/cycles/{cycle.id}/paper-voters",
                          {"commune": w.north.id, "code": codes[0]})
    assert recorded.status_code == 302
    alice = someone(make_browser, w, "alice")
    blocked = alice.post(f"/cycles/{cycle.id}/vote/eligibility", {"code": codes[0]},
                         headers=EN)
    assert blocked.status_code == 422 and "recorded with this identity or code" in \
        blocked.get_data(as_text=True)
    assert alice.post(f"/cycles/{cycle.id}/vote/eligibility",
                      {"code": codes[1]}).status_code == 302
    alice.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [cycle.park_id]})
    refused = clerk.post(f"/staff/cycles/{cycle.id}/paper-voters",
                         {"commune": w.north.id, "code": codes[1]}, headers=EN)
    assert refused.status_code == 422
    assert "already voted online" in refused.get_data(as_text=True)


def test_an_account_whose_code_was_used_on_paper_cannot_vote(w, make_browser):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    codes, _ = codes_of(generate(someone(make_browser, w, "staff"), cycle, w.north, 1))
    alice = someone(make_browser, w, "alice")
    alice.post(f"/cycles/{cycle.id}/vote/eligibility", {"code": codes[0]})
    someone(make_browser, w, "staff").post(f"/staff/cycles/{cycle.id}/paper-voters",
                                           {"commune": w.north.id, "code": codes[0]})
    page = alice.get(f"/cycles/{cycle.id}/vote", headers=EN)
    assert page.status_code == 403 and "cannot also be used to vote online" in \
        page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["otherstaff", "othercouncil", "council", "alice"])
def test_people_of_other_territories_or_roles_cannot_manage_eligibility(w, make_browser, who):
    cycle = cycle_with(w, Proof.ACCESS_CODE)
    browser = someone(make_browser, w, who)
    assert browser.get(f"/staff/cycles/{cycle.id}/eligibility").status_code == 403
    assert generate(browser, cycle, w.north, 5).status_code == 403
    assert browser.get(f"/staff/cycles/{cycle.id}/paper-voters").status_code == 403
    assert browser.post(f"/staff/cycles/{cycle.id}/paper-voters",
                        {"commune": w.north.id, "code": "AAAA"}).status_code == 403


def test_commune_staff_manage_only_their_commune(w, make_browser):
    cycle = cycle_with(w, Proof.CENSUS)
    clerk = someone(make_browser, w, "southclerk")
    assert upload(clerk, cycle, w.north, CENSUS).status_code == 403
    page = clerk.get(f"/staff/cycles/{cycle.id}/eligibility").get_data(as_text=True)
    assert f"/communes/{w.south.id}/census" in page and f"/communes/{w.north.id}/" not in page
    other = cycle_with(w, Proof.CENSUS)
    assert upload(someone(make_browser, w, "otherstaff"), other, w.north, CENSUS) \
        .status_code == 403


def census_upload_answer(w, make_browser, north_lists_it: bool) -> tuple:
    """What Sudville's clerk learns from uploading NORD-1, with or without Nordville listing
    that person: the answer, the page it leads to, and their list's size."""
    cycle = cycle_with(w, Proof.CENSUS)
    if north_lists_it:
        assert upload(someone(make_browser, w, "northclerk"), cycle, w.north,
                      CENSUS).status_code == 302
    clerk = someone(make_browser, w, "southclerk")
    answer = upload(clerk, cycle, w.south, CENSUS)
    page = clerk.get(answer.headers.get("Location", f"/staff/cycles/{cycle.id}/eligibility"),
                     headers=EN).get_data(as_text=True)
    def same_cycle(text: str) -> str:
        return re.sub(rf"/cycles/{cycle.id}\b", "/cycles/N", text)

    page = same_cycle(re.sub(r'value="[^"]+"', "", page))
    return answer.status_code, same_cycle(answer.headers.get("Location", "")), page


def test_a_census_upload_does_not_tell_whether_another_commune_lists_someone(w, make_browser):
    """Commune staff learn nothing of another commune's list: the same file gets the same
    answer (all added to their own list) whether or not another commune lists them."""
    alone = census_upload_answer(w, make_browser, north_lists_it=False)  # each its own cycle
    listed_elsewhere = census_upload_answer(w, make_browser, north_lists_it=True)
    assert alone == listed_elsewhere
    assert alone[0] == 302 and "Sudville: 2 people added to the list" in alone[2]
