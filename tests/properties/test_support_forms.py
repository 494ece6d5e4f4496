"""What residents and staff send about supports: supporting and withdrawing any proposal id
(of a cycle in its supports phase, of one without, of none), with or without a form, signed
in or not, confirmed or not; closing the supports phase of any cycle."""
from datetime import timedelta

import pytest
from hypothesis import given, strategies as st

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models.time import utcnow
from tests import factories
from tests.properties.conftest import anything_or, check, form, path_id

ROUTES = {"/proposals/<int:proposal_id>/support",
          "/proposals/<int:proposal_id>/support/withdraw",
          "/staff/cycles/<int:cycle_id>/supports/close"}


@pytest.fixture
def supports_scene(scene):
    """A cycle in its supports phase with alice's commune's proposal, and one whose supports
    phase is over (top 1 per envelope), with two proposals of Nordville."""
    open_cycle = factories.cycle(scene.w, Phase.SUPPORTS)
    bench = factories.project(open_cycle, scene.w.north, "Banc", 800, scene.w.users["bob"],
                              Status.SUBMITTED)
    over = factories.cycle(scene.w, Phase.SUPPORTS)
    over.review_start = utcnow() - timedelta(hours=1)
    over.support_threshold = {"kind": "top", "value": 1}
    for title in ("Parc", "Fontaine"):
        factories.project(over, scene.w.north, title, 900, scene.w.users["bob"],
                          Status.SUBMITTED)
    db.session.commit()
    return bench, over


@given(data=st.data())
def test_support_and_withdraw(scene, supports_scene, session, data):
    bench, _over = supports_scene
    proposal_id = data.draw(path_id(bench.id, scene.submitted.id, scene.park.id))
    action = data.draw(st.sampled_from(["support", "support/withdraw"]))
    who = data.draw(st.sampled_from(["alice", "late", "staff", None]))
    sent = data.draw(form(extra=anything_or("1")))
    check(session, lambda: scene.browsers[who].send(f"/proposals/{proposal_id}/{action}",
                                                    sent))


@given(data=st.data())
def test_close_supports(scene, supports_scene, session, data):
    bench, over = supports_scene
    cycle_id = data.draw(path_id(over.id, bench.cycle_id, scene.proposals.id))
    who = data.draw(st.sampled_from(["staff", "alice", None]))
    sent = data.draw(form(confirm=anything_or("1")))
    check(session, lambda: scene.browsers[who].send(f"/staff/cycles/{cycle_id}/supports/close",
                                                    sent))
