"""Emails: the vote's receipt code (never the choices), the decision on a proposal, and the
results for residents who asked for them. A mail server that fails changes nothing."""
from __future__ import annotations

import re
import smtplib

import pytest

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.mail import outbox
from budget.models import Participation, User
from budget.services import tally
from tests import factories
from tests.factories import project


@pytest.fixture
def w(session):
    return factories.world()


def sent_since(before: int) -> list:
    return outbox()[before:]


def test_the_voter_gets_the_receipt_code_but_not_the_choices(w, browser):
    cycle = factories.cycle(w, Phase.VOTE)
    park = project(cycle, w.north, "Parc des Tilleuls", 5_000, w.users["bob"])
    project(cycle, w.north, "Piste cyclable", 6_000, w.users["bob"])
    browser.login("alice@example.fr")
    before = len(outbox())
    receipt = browser.post(f"/cycles/{cycle.id}/vote/confirm",
                           {"project": [park.id]}).get_data(as_text=True)
    [message] = sent_since(before)
    body = message.get_content()
    code = re.search(r'class="receipt"[^>]*>([^<]+)<', receipt).group(1).strip()
    assert message["To"] == "alice@example.fr"
    assert message["Subject"] == "Votre vote est enregistré"
    assert code in body
    assert f"http://localhost/cycles/{cycle.id}/receipt" in body
    assert "Parc des Tilleuls" not in body and "Piste cyclable" not in body


@pytest.mark.parametrize("decision, expected", [
    ({"status": "on_ballot", "final_cost": "4500", "cost_justification": "Devis actualisé."},
     ["sur le bulletin", "4\u202f500\u00a0€", "Pourquoi le coût a changé\u202f: Devis actualisé."]),
    ({"status": "rejected", "rejection_reason": "Le terrain appartient au département."},
     ["ne figurera pas", "Le terrain appartient au département."]),
])
def test_the_author_learns_the_decision_in_french(w, make_browser, decision, expected):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = project(cycle, w.north, "Jardin partagé", 4_000, w.users["alice"],
                       Status.SUBMITTED)
    staff = make_browser()
    staff.login("staff@example.fr")
    before = len(outbox())
    data = {"final_cost": "", "rejection_reason": "", **decision}
    response = staff.post(f"/staff/proposals/{proposal.id}/review", data,
                          headers={"Accept-Language": "en"})
    assert response.status_code == 302
    [message] = sent_since(before)
    body = message.get_content()
    assert message["To"] == "alice@example.fr"
    assert "Jardin partagé" in body and f"http://localhost/proposals/{proposal.id}" in body
    for text in expected:
        assert text in body or text in message["Subject"]
    # Saving the same decision again does not email the author twice.
    staff.post(f"/staff/proposals/{proposal.id}/review", data)
    assert len(sent_since(before)) == 1


def test_a_refused_decision_sends_nothing(w, make_browser):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = project(cycle, w.north, "Jardin", 4_000, w.users["alice"], Status.SUBMITTED)
    staff = make_browser()
    staff.login("staff@example.fr")
    before = len(outbox())
    response = staff.post(f"/staff/proposals/{proposal.id}/review",
                          {"status": "rejected", "rejection_reason": "  "})
    assert response.status_code == 422
    assert sent_since(before) == []


def opt_in(*users: User) -> None:
    for user in users:
        user.notify_results = True
    db.session.commit()


def test_results_go_only_to_residents_who_opted_in(app, w, make_browser):
    cycle = factories.cycle(w, Phase.COUNTING)
    project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    opt_in(w.users["alice"], w.users["zoe"])  # zoe lives in another intercommunality
    staff_user = w.users["staff"]
    run = tally.run_tally(staff_user, cycle)
    staff = make_browser()
    staff.login("staff@example.fr")
    before, jobs_before = len(outbox()), set(app.extensions.get("budget_inline_jobs", {}))
    staff.post(f"/staff/cycles/{cycle.id}/publish", {"run_id": str(run.id)})
    messages = sent_since(before)
    assert [m["To"] for m in messages] == ["alice@example.fr"]
    assert f"http://localhost/cycles/{cycle.id}/results" in messages[0].get_content()
    assert "Budget test" in messages[0]["Subject"]
    # Publication started one job that queued the emails (one per resident), so a large
    # territory's publication does not wait for them.
    [job] = [job for job_id, job in app.extensions["budget_inline_jobs"].items()
             if job.task == "notify_results" and job_id not in jobs_before]
    assert (job.state, job.result, job.started_by) == ("finished", {"sent": 1}, staff_user.id)


def test_the_results_email_stops_in_one_click_from_its_link_or_header(app, w, make_browser):
    cycle = factories.cycle(w, Phase.COUNTING)
    project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    opt_in(w.users["alice"])
    run = tally.run_tally(w.users["staff"], cycle)
    staff = make_browser()
    staff.login("staff@example.fr")
    before = len(outbox())
    staff.post(f"/staff/cycles/{cycle.id}/publish", {"run_id": str(run.id)})
    [message] = sent_since(before)
    link = re.fullmatch(r"<(http://localhost/unsubscribe/\S+)>", message["List-Unsubscribe"])[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.get_content()
    mail_program = make_browser()  # no session, no CSRF token: RFC 8058's one-click POST
    path = link.removeprefix("http://localhost")
    assert mail_program.get(path).status_code == 200 and w.users["alice"].notify_results
    answer = mail_program.post(path, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert answer.status_code == 200
    db.session.refresh(w.users["alice"])
    assert w.users["alice"].notify_results is False
    forged = mail_program.post(path[:-3] + "abc", {}, csrf=False)
    assert forged.status_code == 400


def test_registration_and_the_account_page_set_the_opt_in(w, make_browser):
    browser = make_browser()
    response = browser.post("/register", {
        "email": "new@example.fr", "display_name": "Nouvelle", "home_commune_id": w.north.id,
        "password": "assez long mot", "confirm": "assez long mot", "notify_results": "y"})
    assert response.status_code == 302
    browser.login("new@example.fr", "assez long mot")
    user = db.session.scalar(db.select(User).where(User.email == "new@example.fr"))
    assert user.notify_results is True
    account = browser.get("/account").get_data(as_text=True)
    assert re.search(r'<input checked id="notify_results" name="notify_results"', account)
    browser.post("/account/notifications", {})  # unticked: the box is not sent
    db.session.refresh(user)
    assert user.notify_results is False
    browser.post("/account/notifications", {"notify_results": "y"})
    db.session.refresh(user)
    assert user.notify_results is True


def test_registering_without_ticking_means_no_results_email(w, make_browser):
    make_browser().post("/register", {
        "email": "quiet@example.fr", "display_name": "Discrète", "home_commune_id": w.north.id,
        "password": "assez long mot", "confirm": "assez long mot"})
    user = db.session.scalar(db.select(User).where(User.email == "quiet@example.fr"))
    assert user.notify_results is False


def test_a_failing_mail_server_does_not_undo_the_vote(w, browser, app, monkeypatch):
    cycle = factories.cycle(w, Phase.VOTE)
    park = project(cycle, w.north, "Parc", 5_000, w.users["bob"])

    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("budget.jobs.enqueue_email", down)
    browser.login("alice@example.fr")
    response = browser.post(f"/cycles/{cycle.id}/vote/confirm", {"project": [park.id]})
    assert response.status_code == 200  # the receipt
    assert db.session.scalar(db.select(Participation).where(
        Participation.user_id == w.users["alice"].id)) is not None
