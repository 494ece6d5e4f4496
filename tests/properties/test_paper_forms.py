"""What staff send while entering paper ballots: new batches, starting an entry, typing each
ballot (kind, choices, points), validating a batch."""
from hypothesis import given, strategies as st

from tests.properties.conftest import anything_or, check, form, path_id

ROUTES = {"/staff/cycles/<int:cycle_id>/paper", "/staff/paper/<int:batch_id>/start",
          "/staff/paper/<int:batch_id>/validate",
          "/staff/paper/<int:batch_id>/ballots/<int:position>"}
STAFF = st.sampled_from(["staff", "northclerk"])


@given(data=st.data())
def test_new_batch(staff_scene, session, data):
    s = staff_scene
    w = s.s.w
    cycle_id = data.draw(path_id(s.s.vote.id, s.s.proposals.id, s.s.counting.id))
    sent = data.draw(form(commune=anything_or(w.north.id, w.south.id, w.elsewhere.id),
                          label=anything_or("Bureau 3, 12 mars", " ", "x" * 201),
                          declared_count=anything_or(1, 500, 0, 100_000)))
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/cycles/{cycle_id}/paper", sent))


@given(data=st.data())
def test_start_and_validate(staff_scene, session, data):
    s = staff_scene
    batch_id = data.draw(path_id(s.batch.id, s.ready.id))
    action = data.draw(st.sampled_from(["start", "validate"]))
    sent = data.draw(form())
    check(session, lambda: s.browsers[data.draw(STAFF)].send(
        f"/staff/paper/{batch_id}/{action}", sent))


@given(data=st.data())
def test_type_a_ballot(staff_scene, session, data):
    s = staff_scene
    ids = [s.s.park.id, s.s.pool.id]
    who, batch_id, position = data.draw(st.sampled_from([True, True, False]).flatmap(
        lambda entered: st.sampled_from([("staff", s.batch.id, 1), ("staff", s.batch.id, 2),
                                         ("northclerk", s.ready.id, 1)]) if entered
        else st.tuples(STAFF, path_id(s.batch.id, s.ready.id), path_id(1, 2, 3))))
    sent = data.draw(form(kind=anything_or("valid", "blank", "spoiled"),
                          project=st.lists(anything_or(*ids), max_size=4),
                          **{f"points-{pid}": anything_or(0, 1, 5) for pid in ids}))
    check(session, lambda: s.browsers[who].send(f"/staff/paper/{batch_id}/ballots/{position}",
                                                sent))
