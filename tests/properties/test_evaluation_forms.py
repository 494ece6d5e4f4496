"""What residents and staff send about a delivered project's evaluation (an answer, the staff's
text, a report, hiding and restoring a comment), asked anything by anyone: never a server
error, a refusal writes nothing."""
import pytest
from hypothesis import given, strategies as st

from budget.services import evaluation, tracking_read
from tests import factories
from tests.properties.conftest import anything_or, check, form, path_id
from tests.services.evaluation_helpers import deliver

ROUTES = {"/proposals/<int:proposal_id>/evaluation",
          "/staff/proposals/<int:proposal_id>/evaluation",
          "/evaluation-answers/<int:answer_id>/report",
          "/evaluation-answers/<int:answer_id>/hide",
          "/evaluation-answers/<int:answer_id>/restore"}


@pytest.fixture
def delivered(scene):
    """The published cycle's winner (Nordville's Jardin), delivered, with a neighbour's answer
    that carries a comment."""
    [record] = tracking_read.of_cycle(scene.results)
    deliver(record.proposal, scene.w.users["staff"])
    neighbour = factories.user("voisin@example.fr", scene.w.north)
    found = evaluation.answer(neighbour, record, "no", 2, "Trop loin de l'école.")
    return record, found


@given(data=st.data())
def test_answer(scene, delivered, session, data):
    record, _ = delivered
    proposal_id = data.draw(path_id(record.proposal_id, scene.park.id))
    who = data.draw(st.sampled_from(["alice", "late", "staff", None]))
    sent = data.draw(form(usage=anything_or("yes", "sometimes", "no"),
                          usefulness=anything_or(1, 3, 5, 0, 6),
                          comment=anything_or("Très pratique.", "")))
    check(session, lambda: scene.browsers[who].send(f"/proposals/{proposal_id}/evaluation",
                                                    sent))


@given(data=st.data())
def test_publish_text(scene, delivered, session, data):
    record, _ = delivered
    proposal_id = data.draw(path_id(record.proposal_id, scene.park.id))
    who = data.draw(st.sampled_from(["staff", "alice", None]))
    sent = data.draw(form(body=anything_or("Le jardin accueille deux écoles.", "Court")))
    check(session, lambda: scene.browsers[who].send(
        f"/staff/proposals/{proposal_id}/evaluation", sent))


@given(data=st.data())
def test_report_hide_and_restore(scene, delivered, session, data):
    _, found = delivered
    answer_id = data.draw(path_id(found.id))
    action = data.draw(st.sampled_from(["report", "hide", "restore"]))
    who = data.draw(st.sampled_from(["alice", "staff", None]))
    sent = data.draw(form(reason=anything_or("Propos injurieux", "")))
    check(session, lambda: scene.browsers[who].send(
        f"/evaluation-answers/{answer_id}/{action}", sent))
