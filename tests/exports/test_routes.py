"""Who may download what, and when: the results page's rules, checked at download time."""
from __future__ import annotations

import pytest

from budget.domain.phases import Phase
from tests import factories
from tests.conftest import someone

PEOPLE = [None, "alice", "bob", "zoe", "otherstaff", "othercouncil", "staff", "council",
          "admin"]
MAY_PREVIEW = {"staff", "council", "admin"}
KINDS = {  # what: (url suffix or None for the .pb, MIME type, file extension)
    "xlsx": ("results.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("results.pdf", "application/pdf", "pdf"),
    "json": ("results.json", "application/json", "json"),
    "pb": (None, "text/plain", "pb"),
}


def url(voted, kind: str) -> str:
    suffix = KINDS[kind][0]
    if suffix:
        return f"/cycles/{voted.cycle.id}/{suffix}"
    north = voted.envelope(voted.world.north)
    return f"/cycles/{voted.cycle.id}/envelopes/{north['id']}.pb"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", PEOPLE)
def test_before_publication_only_staff_and_council_preview(make_browser, w, tallied, who, kind):
    response = someone(make_browser, w, who).get(url(tallied, kind))
    if who not in MAY_PREVIEW:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert "apercu" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", PEOPLE)
def test_published_results_are_for_everyone(make_browser, w, published, who, kind):
    response = someone(make_browser, w, who).get(url(published, kind))
    assert response.status_code == 200
    _, mimetype, extension = KINDS[kind]
    assert response.mimetype == mimetype
    assert response.content_type.count("charset") <= 1  # was "charset=utf-8; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="resultats-cycle-')
    assert disposition.endswith(f'.{extension}"') and "apercu" not in disposition
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["ETag"].startswith('"') and response.headers["ETag"] != '""'


def test_pb_file_names_say_which_envelope(browser, published):
    names = {}
    for envelope in published.run.result["envelopes"]:
        response = browser.get(f"/cycles/{published.cycle.id}/envelopes/{envelope['id']}.pb")
        names[envelope["commune_id"]] = response.headers["Content-Disposition"]
    cycle_id = published.cycle.id
    assert f"resultats-cycle-{cycle_id}-enveloppe-intercommunale.pb" in names[None]
    assert (f"resultats-cycle-{cycle_id}-enveloppe-99001-nordville.pb"
            in names[published.world.north.id])


def test_no_export_before_any_tally_even_for_staff(make_browser, w):
    cycle = factories.cycle(w, Phase.COUNTING)
    staff = someone(make_browser, w, "staff")
    for suffix in ("results.xlsx", "results.pdf", "results.json"):
        assert staff.get(f"/cycles/{cycle.id}/{suffix}").status_code == 404
    assert staff.get(f"/cycles/{cycle.id}/envelopes/{cycle.envelopes[0].id}.pb") \
        .status_code == 404
    assert staff.get("/cycles/999999/results.pdf").status_code == 404


def test_pb_of_an_envelope_not_in_the_run(make_browser, w, published):
    other = factories.cycle(w, Phase.COUNTING)
    browser = make_browser()
    assert browser.get(f"/cycles/{published.cycle.id}/envelopes/{other.envelopes[0].id}.pb") \
        .status_code == 404
    assert browser.get(f"/cycles/{published.cycle.id}/envelopes/999999.pb").status_code == 404
