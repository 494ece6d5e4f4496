"""Following a proposal from its page and the account page, and the digest's unfollow link:
GET asks and changes nothing, POST unfollows, a tampered link is a clear 400."""
from __future__ import annotations

import pytest

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.services import follows
from tests import factories
from tests.conftest import someone


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def park(w):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    return factories.project(cycle, w.north, "Parc des Tilleuls", 5_000, w.users["bob"])


def test_a_resident_follows_then_unfollows_from_the_proposal_page(make_browser, w, park):
    alice = someone(make_browser, w, "alice")
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert "Suivre" in page and "Aussi les nouveaux commentaires" in page
    answer = alice.post(f"/proposals/{park.id}/follow", {"with_comments": "y"})
    assert answer.status_code == 302
    assert follows.of(w.users["alice"], park).with_comments is True
    page = alice.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert "Vous suivez cette proposition." in page and "Ne plus suivre" in page
    account = alice.get("/account").get_data(as_text=True)
    assert "Parc des Tilleuls" in account and "avec ses commentaires" in account
    answer = alice.post(f"/proposals/{park.id}/unfollow", {"next": "/account#followed"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/account")
    assert follows.of(w.users["alice"], park) is None


def test_a_follow_is_undone_even_once_the_proposal_is_no_longer_readable(make_browser, w, park):
    follows.follow(w.users["alice"], park)
    park.status, park.rejection_reason = Status.REJECTED, "Trop cher."
    db.session.commit()
    alice = someone(make_browser, w, "alice")
    assert alice.get(f"/proposals/{park.id}").status_code == 404
    assert alice.post(f"/proposals/{park.id}/unfollow", {}).status_code == 302
    assert follows.of(w.users["alice"], park) is None
    assert alice.post(f"/proposals/{park.id}/unfollow", {}).status_code == 404


def test_a_visitor_is_asked_to_sign_in_to_follow(make_browser, w, park):
    visitor = someone(make_browser, w, None)
    page = visitor.get(f"/proposals/{park.id}").get_data(as_text=True)
    assert "Connectez-vous pour suivre cette proposition" in page
    answer = visitor.post(f"/proposals/{park.id}/follow", {})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_unfollow_link_asks_on_get_and_unfollows_on_post(make_browser, w, park):
    token = follows.unfollow_token(follows.follow(w.users["alice"], park))
    visitor = someone(make_browser, w, None)  # the email's link works without signing in
    asked = visitor.get(f"/unfollow/{token}")
    assert asked.status_code == 200
    assert "Ne plus recevoir les nouvelles de «\u202fParc des Tilleuls\u202f»" in \
        asked.get_data(as_text=True)
    assert follows.of(w.users["alice"], park) is not None  # a GET changes nothing
    done = visitor.post(f"/unfollow/{token}", {})
    assert done.status_code == 200 and "Vous ne suivez plus" in done.get_data(as_text=True)
    assert follows.of(w.users["alice"], park) is None


def test_a_tampered_unfollow_link_is_refused_clearly(make_browser, w, park):
    token = follows.unfollow_token(follows.follow(w.users["alice"], park))
    visitor = someone(make_browser, w, None)
    for bad in (token[:-4] + "abcd", "nimportequoi"):
        for answer in (visitor.get(f"/unfollow/{bad}"), visitor.post(f"/unfollow/{bad}", {})):
            assert answer.status_code == 400
            assert "n’est pas valide ou a expiré" in answer.get_data(as_text=True)
    assert follows.of(w.users["alice"], park) is not None
