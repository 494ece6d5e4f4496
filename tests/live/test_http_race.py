"""One person, one vote, through HTTP: 50 copies of one voter's ballot sent at the same moment
to gunicorn's worker processes make exactly one ballot; every other copy gets a friendly
refusal (the "already voted" page or a 4xx page), never a server error."""
from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from budget.extensions import db
from budget.models import Ballot, Participation
from budget.services import ballot_box
from tests.live import server

COPIES = 50
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ALREADY_VOTED = "You have already voted in this budget cycle"


def sign_in(port: int, email: str) -> str:
    page = server.request(port, "GET", "/login")
    token = TOKEN.search(page.text).group(1)
    reply = server.request(port, "POST", "/login", {
        "csrf_token": token, "email": email, "password": "correct horse battery"},
        cookie=page.cookie)
    assert reply.status == 302, reply.text
    return reply.cookie


def outcome(live_world, port: int, reply: server.Reply, cookie: str) -> str:
    """'success', 'refused' or what went wrong; the page each copy leads to is read too."""
    if reply.status >= 500:
        return f"server error {reply.status}"
    if 400 <= reply.status < 500:
        friendly = "<h1>" in reply.text and "Traceback" not in reply.text
        return "refused" if friendly else f"bare {reply.status}"
    if reply.status == 200:  # the vote's answer shows its receipt code
        return "success" if server.receipt_code(reply.text) else "receipt code not shown"
    if reply.status != 302 or not reply.location.endswith(
            f"/cycles/{live_world.cycle_id}/vote/receipt"):
        return f"unexpected {reply.status} {reply.location}"
    page = server.request(port, "GET", reply.location, cookie=reply.cookie or cookie)
    return "refused" if ALREADY_VOTED in page.text else "refusal page without its message"


def test_fifty_simultaneous_copies_of_one_ballot_make_one_vote(live_world, live_server):
    port = live_server.port
    cookie = sign_in(port, "alice@example.fr")
    ballot_page = server.request(port, "GET", f"/cycles/{live_world.cycle_id}/vote",
                                 cookie=cookie)
    assert ballot_page.status == 200, ballot_page.text
    cookie = ballot_page.cookie or cookie  # the session now holds the form's CSRF secret
    form = {"csrf_token": TOKEN.search(ballot_page.text).group(1),
            "project": [live_world.project_id]}
    barrier = threading.Barrier(COPIES)

    def send(_):
        barrier.wait()
        return server.request(port, "POST", f"/cycles/{live_world.cycle_id}/vote/confirm",
                              form, cookie=cookie)

    with ThreadPoolExecutor(COPIES) as pool:
        replies = list(pool.map(send, range(COPIES)))
    outcomes = Counter(outcome(live_world, port, reply, cookie) for reply in replies)
    statuses = Counter(reply.status for reply in replies)
    print(f"\n{server.dialect(live_world.url)}: outcomes {dict(outcomes)}, "
          f"HTTP statuses {dict(statuses)}")
    assert outcomes == {"success": 1, "refused": COPIES - 1}, live_server.log()
    with live_world.app.app_context():
        ballot_box.mix()
        for model in (Participation, Ballot):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                model.cycle_id == live_world.cycle_id)) == 1
