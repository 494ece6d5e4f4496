"""Who may read a proposal by its id, and a rejection's reason, in each phase
(reading.may_read_proposal): its author and the cycle's staff always; everyone else what the
cycle's list shows while proposals are collected and reviewed (submitted, on the ballot), and
every decision once the review is over (rejected with its reason, merged); a withdrawn one
never."""
from __future__ import annotations

import pytest

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from tests import factories
from tests.conftest import someone

REASON = "Le terrain appartient au département."
EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


def proposal_in(w, phase: Phase, status: Status):
    cycle = factories.cycle(w, phase)
    proposal = factories.project(cycle, w.north, "Piscine", 8_000, w.users["alice"],
                                 Status.SUBMITTED if status == Status.MERGED else status)
    if status == Status.REJECTED:
        proposal.rejection_reason = REASON
    if status == Status.MERGED:
        proposal.merged_into = factories.project(cycle, w.north, "Bassin", 9_000,
                                                 w.users["bob"])
        proposal.status = Status.MERGED
    db.session.commit()
    return proposal


def reads(make_browser, who: str | None, proposal) -> bool:
    browser = someone(make_browser, None, who)
    response = browser.get(f"/proposals/{proposal.id}", headers=EN)
    assert response.status_code in (200, 404)
    page = response.get_data(as_text=True)
    assert (REASON in page) == (response.status_code == 200
                                and proposal.status == Status.REJECTED)
    return response.status_code == 200


@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW])
@pytest.mark.parametrize("status", [Status.REJECTED, Status.IN_REVIEW, Status.MERGED])
def test_an_undecided_or_revisable_decision_is_for_its_author_and_staff(make_browser, w,
                                                                         phase, status):
    """Until the vote opens staff may still revise a rejection or a merge: the reason is the
    author's to read, not a public verdict yet."""
    proposal = proposal_in(w, phase, status)
    assert not reads(make_browser, None, proposal)
    assert not reads(make_browser, "bob", proposal)  # a resident of the other commune
    assert not reads(make_browser, "zoe", proposal)  # of another intercommunalité
    assert not reads(make_browser, "council", proposal)
    assert not reads(make_browser, "otherstaff", proposal)
    assert reads(make_browser, "alice", proposal)  # the author, with the reason
    assert reads(make_browser, "staff", proposal)
    assert reads(make_browser, "northclerk", proposal)
    assert reads(make_browser, "admin", proposal)


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.COUNTING])
@pytest.mark.parametrize("status", [Status.REJECTED, Status.MERGED, Status.ON_BALLOT])
def test_once_the_review_is_over_every_decision_is_public(make_browser, w, phase, status):
    proposal = proposal_in(w, phase, status)
    assert reads(make_browser, None, proposal)
    assert reads(make_browser, "zoe", proposal)


@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW])
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ON_BALLOT])
def test_what_the_cycle_lists_is_public_during_the_review(make_browser, w, phase, status):
    proposal = proposal_in(w, phase, status)
    assert reads(make_browser, None, proposal)


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTE])
def test_a_withdrawn_proposal_is_never_public(make_browser, w, phase):
    proposal = proposal_in(w, phase, Status.WITHDRAWN)
    assert not reads(make_browser, None, proposal)
    assert reads(make_browser, "alice", proposal)
    assert reads(make_browser, "staff", proposal)
