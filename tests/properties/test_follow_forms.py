"""Following and unfollowing proposals, from their page and from the digest's signed link:
any proposal id, any form, any token (forged, mangled, of a follow undone), from people who
may read the proposal or not, signed in or not."""
from hypothesis import given, strategies as st

from budget.services import follows
from tests.properties.conftest import TEXT, anything_or, check, form, path_id

ROUTES = {"/proposals/<int:proposal_id>/follow", "/proposals/<int:proposal_id>/unfollow",
          "/unfollow/<token>"}
PEOPLE = ["alice", "staff", "late", None]


@given(data=st.data())
def test_follow_and_unfollow(scene, session, data):
    proposal_id = data.draw(path_id(scene.submitted.id, scene.park.id, scene.pool.id))
    url = data.draw(st.sampled_from([f"/proposals/{proposal_id}/follow",
                                     f"/proposals/{proposal_id}/unfollow"]))
    sent = data.draw(form(with_comments=anything_or("y", "on", ""),
                          next=anything_or("/account", "https://evil.example/", "//x")))
    browser = scene.browsers[data.draw(st.sampled_from(PEOPLE))]
    status = check(session, lambda: browser.send(url, sent))
    assert status in (200, 302, 303, 400, 404)


@given(data=st.data())
def test_the_unfollow_link_with_any_token(scene, session, data):
    token = follows.unfollow_token(follows.follow(scene.w.users["bob"], scene.park))
    sent_token = data.draw(st.one_of(st.just(token), TEXT.filter(lambda t: "/" not in t
                                                                  and t not in ("", ".", "..")),
                                     st.just(token[:-3] + "abc")))
    browser = scene.browsers[data.draw(st.sampled_from(PEOPLE))]
    status = check(session, lambda: browser.send(f"/unfollow/{sent_token}",
                                                 data.draw(form(confirm=anything_or("y")))))
    assert status in (200, 400, 404)
