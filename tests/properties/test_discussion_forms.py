"""What residents and moderators send to the discussion under a proposal: comments, replies,
edits and reports of any text (HTML, links, control characters, long), charters, moderation
decisions on comments, reports and blocks that exist or not, from people who may or may not."""
import pytest
from hypothesis import given, strategies as st

from budget.extensions import db
from budget.models import Comment, CommentBlock, Report
from tests.properties.conftest import TEXT, anything_or, check, form, path_id

ROUTES = {"/proposals/<int:proposal_id>/comments", "/comments/<int:comment_id>/reply",
          "/comments/<int:comment_id>/edit", "/proposals/<int:proposal_id>/report",
          "/comments/<int:comment_id>/report", "/comments/<int:comment_id>/hide",
          "/comments/<int:comment_id>/restore", "/comments/<int:comment_id>/block",
          "/reports/<int:report_id>/dismiss", "/staff/cycles/<int:cycle_id>/charter",
          "/staff/cycles/<int:cycle_id>/blocks/<int:block_id>/lift"}
BODIES = anything_or("Bonne idée !", "Voir https://exemple.fr/?a=1&b=<2>", "<script>x</script>",
                     "javascript:alert(1)", "a" * 5_000, "")
PEOPLE = ["alice", "staff", "northclerk", "late", None]


@pytest.fixture
def discussion(staff_scene):
    """Under alice's submitted proposal (the proposals phase): her comment, bob's report of
    it, and a block of zoe in Nordville."""
    s = staff_scene.s
    comment = Comment(proposal=s.submitted, author=s.w.users["alice"], body="Un banc, oui.")
    db.session.add(comment)
    db.session.flush()
    report = Report(reporter=s.w.users["bob"], proposal=s.submitted, comment=comment,
                    reason="Hors sujet")
    block = CommentBlock(user=s.w.users["zoe"], intercommunality_id=s.w.epci.id,
                         commune_id=s.w.north.id, reason="Insultes",
                         created_by_id=s.w.users["northclerk"].id)
    db.session.add_all([report, block])
    db.session.commit()
    return comment, report, block


def _browser(staff_scene, who):
    s = staff_scene.s
    return s.browsers[who] if who in s.browsers else staff_scene.browsers[who]


@given(data=st.data())
def test_comment_reply_edit_and_report(staff_scene, discussion, session, data):
    comment, _, _ = discussion
    s = staff_scene.s
    proposal_id = data.draw(path_id(s.submitted.id, s.park.id))
    comment_id = data.draw(path_id(comment.id))
    url = data.draw(st.sampled_from([
        f"/proposals/{proposal_id}/comments", f"/comments/{comment_id}/reply",
        f"/comments/{comment_id}/edit", f"/proposals/{proposal_id}/report",
        f"/comments/{comment_id}/report"]))
    sent = data.draw(form(body=BODIES, reason=BODIES,
                          accept_charter=anything_or("y", "on", "")))
    browser = _browser(staff_scene, data.draw(st.sampled_from(PEOPLE)))
    check(session, lambda: browser.send(url, sent))


@given(data=st.data())
def test_moderation(staff_scene, discussion, session, data):
    comment, report, block = discussion
    s = staff_scene.s
    comment_id, report_id = data.draw(path_id(comment.id)), data.draw(path_id(report.id))
    cycle_id = data.draw(path_id(s.proposals.id, s.vote.id))
    url = data.draw(st.sampled_from([
        f"/comments/{comment_id}/hide", f"/comments/{comment_id}/restore",
        f"/comments/{comment_id}/block", f"/reports/{report_id}/dismiss",
        f"/staff/cycles/{cycle_id}/charter",
        f"/staff/cycles/{cycle_id}/blocks/{data.draw(path_id(block.id))}/lift"]))
    sent = data.draw(form(reason=BODIES, body=BODIES, scope=anything_or("commune", "epci"),
                          confirm=anything_or("y", "")))
    browser = _browser(staff_scene, data.draw(st.sampled_from(PEOPLE)))
    check(session, lambda: browser.send(url, sent))


@given(text=TEXT)
def test_any_text_as_a_comment(staff_scene, discussion, session, text):
    s = staff_scene.s
    check(session, lambda: s.browsers["alice"].send(
        f"/proposals/{s.submitted.id}/comments", {"body": text, "accept_charter": "y"}))
