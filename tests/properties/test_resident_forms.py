"""What residents send: proposals, ballots, receipt checks, fed anything."""
from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form, path_id, prefixed

ROUTES = {"/cycles/<int:cycle_id>/proposals/new", "/proposals/<int:proposal_id>/edit",
          "/proposals/<int:proposal_id>/withdraw", "/cycles/<int:cycle_id>/vote/review",
          "/cycles/<int:cycle_id>/vote/confirm", "/cycles/<int:cycle_id>/receipt"}


@given(data=st.data())
def test_new_proposal(scene, session, data):
    cycle_id = data.draw(path_id(scene.proposals.id, scene.vote.id))
    envelopes = [e.id for e in scene.proposals.envelopes]
    sent = data.draw(form(title=anything_or("Un banc"), description=anything_or("Sur la place."),
                          estimated_cost=anything_or(500, 100_000_000, 100_000_001),
                          envelope_id=anything_or(*envelopes)))
    check(session, lambda: scene.browsers["alice"].send(f"/cycles/{cycle_id}/proposals/new",
                                                        sent))


@given(data=st.data())
def test_edit_proposal(scene, session, data):
    proposal_id = data.draw(path_id(scene.submitted.id, scene.park.id))
    envelopes = [e.id for e in scene.proposals.envelopes]
    sent = data.draw(form(title=anything_or("Un banc"), description=anything_or("Ailleurs."),
                          estimated_cost=anything_or(900), envelope_id=anything_or(*envelopes)))
    check(session, lambda: scene.browsers["alice"].send(f"/proposals/{proposal_id}/edit", sent))


@given(data=st.data())
def test_withdraw_proposal(scene, session, data):
    proposal_id = data.draw(path_id(scene.submitted.id, scene.park.id))
    sent = data.draw(form())
    check(session, lambda: scene.browsers["alice"].send(f"/proposals/{proposal_id}/withdraw",
                                                        sent))


def ballot(scene):
    ids = [scene.park.id, scene.pool.id]
    # And points for ids of any size (`points-<5000 digits>`).
    stray_points = st.dictionaries(prefixed("points-", *ids), anything_or(1), max_size=2)
    return st.builds(lambda sent, stray: {**stray, **sent},
                     form(project=st.lists(anything_or(*ids), max_size=4),
                          **{f"points-{pid}": anything_or(0, 1, 5) for pid in ids},
                          change=anything_or("1"), notify_delivery=anything_or("y")),
                     stray_points)


@given(data=st.data())
def test_ballot_review(scene, session, data):
    cycle_id = data.draw(path_id(scene.vote.id, scene.proposals.id))
    sent = data.draw(ballot(scene))
    check(session, lambda: scene.browsers["alice"].send(f"/cycles/{cycle_id}/vote/review",
                                                        sent))


@given(data=st.data())
def test_ballot_confirm(scene, session, data):
    cycle_id = data.draw(path_id(scene.vote.id, scene.proposals.id))
    sent = data.draw(ballot(scene))
    check(session, lambda: scene.browsers["alice"].send(f"/cycles/{cycle_id}/vote/confirm",
                                                        sent))


@given(data=st.data())
def test_receipt_check(scene, session, data):
    cycle_id = data.draw(path_id(scene.results.id, scene.vote.id))
    sent = data.draw(form(code=anything_or("ABCD-EFGH-JKLM", "abcd efgh")))
    check(session, lambda: scene.browsers[None].send(f"/cycles/{cycle_id}/receipt", sent))


@given(query=st.dictionaries(st.sampled_from(["commune", "rule", "larger", "next"]), TEXT))
def test_pages_with_query_strings(scene, session, query):
    for url in (f"/cycles/{scene.vote.id}", f"/cycles/{scene.results.id}/results", "/"):
        check(session, lambda url=url: scene.browsers["alice"].get(url, query_string=query))
    for url in (f"/staff/cycles/{scene.vote.id}",
                f"/staff/territories/{scene.w.epci.id}/cycles/new"):
        check(session, lambda url=url: scene.browsers["staff"].get(url, query_string=query))
