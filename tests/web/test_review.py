"""Staff review of proposals: in review, on the ballot with a final cost (and why it changed),
rejected with a reason, merged into a duplicate; commune staff review their commune's."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.mail import outbox
from budget.models import Proposal
from tests import factories
from tests.factories import project

EN = {"Accept-Language": "en"}
REASON = "Le terrain appartient au département."
WHY = "Devis de l'entreprise retenue."


@pytest.fixture
def w(session):
    return factories.world()


def proposal_in(w, phase: Phase, status: Status = Status.SUBMITTED) -> Proposal:
    cycle = factories.cycle(w, phase)
    return project(cycle, w.north, "Jardin partagé", 4_000, w.users["alice"], status)


def state(proposal: Proposal) -> tuple:
    db.session.refresh(proposal)
    return proposal.status, proposal.final_cost, proposal.rejection_reason


def decide(browser, proposal, status, final_cost="", reason="", justification=WHY,
           merged_into="", **kwargs):
    return browser.post(f"/staff/proposals/{proposal.id}/review", {
        "status": status, "final_cost": final_cost, "rejection_reason": reason,
        "cost_justification": justification, "merged_into_id": merged_into}, **kwargs)


# --- Decisions ------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW])
def test_staff_put_a_proposal_on_the_ballot_with_its_final_cost(browser, w, phase):
    proposal = proposal_in(w, phase)
    browser.login("staff@example.fr")
    assert browser.get(f"/staff/proposals/{proposal.id}/review").status_code == 200
    response = decide(browser, proposal, "on_ballot", "4750")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/staff/cycles/{proposal.cycle_id}"
    assert state(proposal) == (Status.ON_BALLOT, 4750, None)


def test_staff_reject_with_a_reason_the_author_reads(make_browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    staff, author = make_browser(), make_browser()
    staff.login("staff@example.fr")
    response = decide(staff, proposal, "rejected", reason=f"  {REASON}  ")
    assert response.status_code == 302
    assert state(proposal) == (Status.REJECTED, None, REASON)
    author.login("alice@example.fr")
    page = author.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert REASON in page
    mine = author.get(f"/cycles/{proposal.cycle_id}/my-proposals").get_data(as_text=True)
    assert REASON in mine


def test_staff_may_revise_a_decision_before_the_vote(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    decide(browser, proposal, "rejected", reason=REASON)
    assert decide(browser, proposal, "on_ballot", "3900").status_code == 302
    assert state(proposal) == (Status.ON_BALLOT, 3900, None)


def test_an_admin_may_review_anywhere(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("admin@example.fr")
    assert decide(browser, proposal, "on_ballot", "4000").status_code == 302
    assert state(proposal)[0] == Status.ON_BALLOT


def test_the_staff_dashboard_lists_the_queue(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = browser.get(f"/staff/cycles/{proposal.cycle_id}")
    assert response.status_code == 200
    assert f'href="/staff/proposals/{proposal.id}/review"' in response.get_data(as_text=True)


# --- Refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_only_staff_of_the_territory_may_review(browser, w, who):
    proposal = proposal_in(w, Phase.REVIEW)
    before = state(proposal)
    browser.login(f"{who}@example.fr")
    assert browser.get(f"/staff/cycles/{proposal.cycle_id}").status_code == 403
    assert decide(browser, proposal, "on_ballot", "4000").status_code == 403
    assert decide(browser, proposal, "rejected", reason=REASON).status_code == 403
    assert state(proposal) == before


def test_staff_of_another_intercommunality_cannot_open_the_review_page(browser, w):
    """Like the dashboard (403), the review page of another territory's proposal is refused;
    it must not show the proposal (a withdrawn one is hidden even from the public)."""
    proposal = proposal_in(w, Phase.REVIEW, Status.WITHDRAWN)
    browser.login("otherstaff@example.fr")
    response = browser.get(f"/staff/proposals/{proposal.id}/review")
    assert response.status_code == 403
    assert proposal.title not in response.get_data(as_text=True)


def test_visitors_are_sent_to_sign_in(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    response = decide(browser, proposal, "on_ballot", "4000")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert state(proposal) == (Status.SUBMITTED, None, None)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(browser, w, reason):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = decide(browser, proposal, "rejected", reason=reason, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="rejection_reason-error"' in page
    assert "Give the author a reason for the rejection." in page
    assert state(proposal) == (Status.SUBMITTED, None, None)


def test_the_ballot_needs_a_final_cost(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = decide(browser, proposal, "on_ballot", "", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="final_cost-error"' in page
    assert "Set the final cost before putting the proposal on the ballot." in page
    assert state(proposal) == (Status.SUBMITTED, None, None)


@pytest.mark.parametrize("cost", ["0", "-1", "abc", "100000001"])
def test_the_final_cost_must_be_sensible(browser, w, cost):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = decide(browser, proposal, "on_ballot", cost)
    assert response.status_code == 422
    assert 'id="final_cost-error"' in response.get_data(as_text=True)
    assert state(proposal) == (Status.SUBMITTED, None, None)


@pytest.mark.parametrize("status", ["", "withdrawn", "submitted", "approved"])
def test_the_decision_must_be_a_staff_decision(browser, w, status):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    response = decide(browser, proposal, status, "4000", REASON)
    assert response.status_code == 422
    assert state(proposal) == (Status.SUBMITTED, None, None)


def test_a_withdrawn_proposal_cannot_be_put_on_the_ballot(browser, w):
    proposal = proposal_in(w, Phase.REVIEW, Status.WITHDRAWN)
    browser.login("staff@example.fr")
    assert decide(browser, proposal, "on_ballot", "4000").status_code == 422
    assert state(proposal) == (Status.WITHDRAWN, None, None)


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.COUNTING])
@pytest.mark.parametrize("start, decision", [
    (Status.SUBMITTED, ("on_ballot", "4000", "")),
    (Status.SUBMITTED, ("rejected", "", REASON)),
    (Status.ON_BALLOT, ("rejected", "", REASON)),
    (Status.ON_BALLOT, ("on_ballot", "1", "")),
], ids=["submitted-to-ballot", "submitted-to-rejected", "ballot-to-rejected", "new-cost"])
def test_the_ballot_is_frozen_once_the_vote_opens(browser, w, phase, start, decision):
    proposal = proposal_in(w, phase, start)
    before = state(proposal)
    browser.login("staff@example.fr")
    response = decide(browser, proposal, *decision)
    assert 400 <= response.status_code < 500
    assert state(proposal) == before


def test_review_needs_the_csrf_token(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("staff@example.fr")
    assert decide(browser, proposal, "on_ballot", "4000", csrf=False).status_code == 400
    assert state(proposal) == (Status.SUBMITTED, None, None)


def test_unknown_proposal_is_404_for_staff(browser, w):
    browser.login("staff@example.fr")
    assert browser.get("/staff/proposals/999999/review").status_code == 404


# --- Review statuses, cost justification, merges ------------------------------------------

def test_in_review_tells_the_author_it_is_being_studied(make_browser, w):
    proposal = proposal_in(w, Phase.PROPOSALS)
    staff, author = make_browser(), make_browser()
    staff.login("staff@example.fr")
    assert decide(staff, proposal, "in_review").status_code == 302
    assert state(proposal) == (Status.IN_REVIEW, None, None)
    author.login("alice@example.fr")
    assert "En cours d’étude" in author.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    # Under review, the author may still withdraw it but no longer edit it.
    edit = author.get(f"/proposals/{proposal.id}/edit", follow_redirects=True)
    assert "ne peut plus être modifiée" in edit.get_data(as_text=True)
    assert author.post(f"/proposals/{proposal.id}/edit", {
        "title": "Autre", "description": "x", "estimated_cost": "10",
        "envelope_id": str(proposal.envelope_id)}).status_code == 403
    assert proposal.title == "Jardin partagé"


def test_a_changed_cost_needs_a_justification_that_voters_read(make_browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    staff, visitor = make_browser(), make_browser()
    staff.login("staff@example.fr")
    response = decide(staff, proposal, "on_ballot", "4750", justification=" ", headers=EN)
    assert response.status_code == 422
    assert 'id="cost_justification-error"' in response.get_data(as_text=True)
    assert state(proposal) == (Status.SUBMITTED, None, None)
    # The estimate kept as is needs no justification.
    assert decide(staff, proposal, "on_ballot", "4000", justification="").status_code == 302
    assert decide(staff, proposal, "on_ballot", "4750").status_code == 302
    assert WHY.replace("'", "&#39;") in visitor.get(f"/proposals/{proposal.id}").get_data(
        as_text=True)


def test_a_duplicate_is_merged_into_a_proposal_of_the_same_envelope(make_browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    original = project(proposal.cycle, w.north, "Jardin des voisins", 5_000, w.users["bob"],
                       Status.SUBMITTED)
    staff, author = make_browser(), make_browser()
    staff.login("staff@example.fr")
    assert decide(staff, proposal, "merged", merged_into=str(original.id)).status_code == 302
    assert state(proposal)[0] == Status.MERGED
    assert proposal.merged_into_id == original.id
    author.login("alice@example.fr")
    page = author.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/proposals/{original.id}"' in page


@pytest.mark.parametrize("target", ["", "self", "other-envelope", "withdrawn", "999999"])
def test_a_merge_needs_a_live_proposal_of_the_same_envelope(browser, w, target):
    proposal = proposal_in(w, Phase.REVIEW)
    targets = {
        "": "", "self": str(proposal.id), "999999": "999999",
        "other-envelope": str(project(proposal.cycle, w.south, "Ailleurs", 10, w.users["bob"],
                                      Status.SUBMITTED).id),
        "withdrawn": str(project(proposal.cycle, w.north, "Retiré", 10, w.users["bob"],
                                 Status.WITHDRAWN).id),
    }
    browser.login("staff@example.fr")
    response = decide(browser, proposal, "merged", merged_into=targets[target])
    assert response.status_code == 422
    assert 'id="merged_into_id-error"' in response.get_data(as_text=True)
    assert state(proposal) == (Status.SUBMITTED, None, None)
    assert proposal.merged_into_id is None


def test_the_author_may_withdraw_a_proposal_in_review(browser, w):
    proposal = proposal_in(w, Phase.PROPOSALS, Status.IN_REVIEW)
    browser.login("alice@example.fr")
    assert browser.post(f"/proposals/{proposal.id}/withdraw", {}).status_code == 302
    assert state(proposal)[0] == Status.WITHDRAWN


# --- Commune staff review their commune's proposals only ------------------------------------

def test_commune_staff_review_their_communes_proposals(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    browser.login("northclerk@example.fr")
    queue = browser.get(f"/staff/cycles/{proposal.cycle_id}").get_data(as_text=True)
    assert f'href="/staff/proposals/{proposal.id}/review"' in queue
    assert decide(browser, proposal, "on_ballot", "4000").status_code == 302
    assert state(proposal)[0] == Status.ON_BALLOT


@pytest.mark.parametrize("commune", ["south", "shared"])
def test_commune_staff_cannot_review_other_proposals(browser, w, commune):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = project(cycle, w.south if commune == "south" else None, "Piste cyclable",
                       9_000, w.users["bob"], Status.SUBMITTED)
    browser.login("northclerk@example.fr")
    queue = browser.get(f"/staff/cycles/{cycle.id}").get_data(as_text=True)
    assert proposal.title not in queue
    assert browser.get(f"/staff/proposals/{proposal.id}/review").status_code == 403
    assert decide(browser, proposal, "on_ballot", "9000").status_code == 403
    assert state(proposal) == (Status.SUBMITTED, None, None)


def test_the_author_is_emailed_each_decision(browser, w):
    proposal = proposal_in(w, Phase.REVIEW)
    original = project(proposal.cycle, w.north, "Jardin des voisins", 5_000, w.users["bob"],
                       Status.SUBMITTED)
    browser.login("staff@example.fr")
    before = len(outbox())
    decide(browser, proposal, "in_review")
    decide(browser, proposal, "on_ballot", "4750")
    decide(browser, proposal, "merged", merged_into=str(original.id))
    sent = outbox()[before:]
    assert [message["Subject"] for message in sent] == [
        "Votre proposition est à l’étude", "Votre proposition est soumise au vote",
        "Votre proposition a été fusionnée avec une proposition semblable"]
    assert all(message["To"] == "alice@example.fr" for message in sent)
    assert WHY in sent[1].get_content()
    assert "Jardin des voisins" in sent[2].get_content()
