"""What staff send: reviews, cycle set-up, vote closing, tallies and publication."""
from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form, path_id

ROUTES = {"/staff/proposals/<int:proposal_id>/review",
          "/staff/territories/<int:intercommunality_id>/cycles/new",
          "/staff/cycles/<int:cycle_id>/edit", "/staff/cycles/<int:cycle_id>/close",
          "/staff/cycles/<int:cycle_id>/tally", "/staff/cycles/<int:cycle_id>/publish"}
WHEN = ("2027-01-10T09:00", "2027-02-10T09:00", "2027-03-10T09:00", "2027-04-10T09:00")


@given(data=st.data())
def test_review(scene, session, data):
    proposal_id = data.draw(path_id(scene.submitted.id, scene.park.id))
    sent = data.draw(form(status=anything_or("on_ballot", "rejected", "merged"),
                          final_cost=anything_or(800, 0),
                          rejection_reason=anything_or("Trop cher."),
                          merged_into_id=anything_or(scene.park.id, "")))
    check(session, lambda: scene.browsers["staff"].send(f"/staff/proposals/{proposal_id}/review",
                                                        sent))


def cycle_fields(scene):
    communes = {f"amount_{c.id}": anything_or(10_000, 0, -5)
                for c in (scene.w.north, scene.w.south)}
    return form(title=anything_or("Budget 2027"), description=TEXT,
                proposals_start=anything_or(*WHEN), review_start=anything_or(*WHEN),
                supports_start=anything_or("", *WHEN),
                support_threshold=anything_or("none", "count", "top"),
                support_threshold_value=anything_or("", 1, 10, 0),
                vote_start=anything_or(*WHEN), vote_end=anything_or(*WHEN),
                vote_format=anything_or("approval", "knapsack", "cumulative"),
                min_choices=anything_or(0, 1), max_choices=anything_or(2, ""),
                min_share_percent=anything_or(0, 50), total_points=anything_or(10),
                max_per_project=anything_or(5), tally_rule=anything_or("greedy", "mes"),
                intercommunal_amount=anything_or(100_000), proportional_total=TEXT,
                fill=anything_or("1"), save=anything_or("1"), **communes)


@given(data=st.data())
def test_new_cycle(scene, session, data):
    territory = data.draw(path_id(scene.w.epci.id, scene.w.elsewhere.intercommunality_id))
    sent = data.draw(cycle_fields(scene))
    check(session, lambda: scene.browsers["staff"].send(
        f"/staff/territories/{territory}/cycles/new", sent))


@given(data=st.data())
def test_edit_cycle(scene, session, data):
    cycle_id = data.draw(path_id(scene.proposals.id, scene.vote.id))
    sent = data.draw(cycle_fields(scene))
    check(session, lambda: scene.browsers["staff"].send(f"/staff/cycles/{cycle_id}/edit", sent))


@given(data=st.data())
def test_close_tally_publish(scene, session, data):
    action = data.draw(st.sampled_from(["close", "tally", "publish"]))
    cycle_id = data.draw(path_id(scene.vote.id, scene.counting.id, scene.results.id))
    sent = data.draw(form(run_id=anything_or(scene.run_id, 0)))
    check(session, lambda: scene.browsers["staff"].send(f"/staff/cycles/{cycle_id}/{action}",
                                                        sent))
