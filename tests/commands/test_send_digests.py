"""`flask budget send-digests`, run by the daily timer: one email per follower, with absolute
links to the proposal's page and to its unfollow link."""
from __future__ import annotations

import re

from budget import mail
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.services import follows, proposals
from tests import factories
from tests.commands.helpers import invoke


def test_the_timer_command_sends_one_digest_per_follower(app, session):
    mail.outbox().clear()
    w = factories.world()
    cycle = factories.cycle(w, Phase.REVIEW)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"], Status.SUBMITTED)
    bench = factories.project(cycle, w.north, "Banc", 800, w.users["bob"], Status.SUBMITTED)
    for proposal in (park, bench):
        follows.follow(w.users["alice"], proposal)
        proposals.review(w.users["northclerk"], proposal, proposals.Decision(
            Status.ON_BALLOT, final_cost=proposal.estimated_cost))
    result = invoke(app, "send-digests")
    assert result.exit_code == 0, result.output
    assert "Digests sent: 1." in result.output
    [sent] = [m for m in mail.outbox() if m["To"] == "alice@example.fr"]
    body = sent.get_content()
    assert "« Parc »" in body and "« Banc »" in body
    assert len(re.findall(r"https?://\S+/unfollow/\S+", body)) == 2
    assert re.search(rf"https?://\S+/proposals/{park.id}\b", body)
    assert "Digests sent: 0." in invoke(app, "send-digests").output
