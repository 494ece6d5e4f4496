"""Supports on the database (SQLite and PostgreSQL): once per resident and proposal, withdrawn
during the phase, residents of the right territory only; the "most supported" sort; closing
the phase with a threshold (top N per envelope with ties, an absolute number, none)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import DomainError, EmailNotVerified, NotAllowed, WrongPhase
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.mail import outbox
from budget.models import AuditEntry, ProposalSupport
from budget.models.time import utcnow
from budget.services import finding, support_close, supports
from budget.services.finding import Filters
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def cycle(w):
    return factories.cycle(w, Phase.SUPPORTS)


def proposal(cycle, commune, title, author, status=Status.SUBMITTED):
    return factories.project(cycle, commune, title, 1_000, author, status)


def residents(w, commune, how_many, prefix):
    return [factories.user(f"{prefix}{n}@example.fr", commune) for n in range(how_many)]


def to_review(cycle, threshold=None):
    """The supports phase is over: the review started an hour ago."""
    cycle.review_start = utcnow() - timedelta(hours=1)
    cycle.support_threshold = threshold
    db.session.commit()
    assert cycle.phase() == Phase.REVIEW


def test_a_resident_supports_once_and_may_withdraw_during_the_phase(w, cycle):
    park = proposal(cycle, w.north, "Parc", w.users["bob"])
    alice = w.users["alice"]
    supports.support(alice, park)
    supports.support(alice, park)  # a second click changes nothing
    assert supports.support_count(park) == 1 and supports.supports(alice, park)
    supports.withdraw(alice, park)
    assert supports.support_count(park) == 0 and not supports.supports(alice, park)


def test_the_database_refuses_a_second_support_of_the_same_resident(w, cycle):
    park = proposal(cycle, w.north, "Parc", w.users["bob"])
    alice = w.users["alice"]
    db.session.add(ProposalSupport(proposal_id=park.id, user_id=alice.id))
    db.session.commit()
    db.session.add(ProposalSupport(proposal_id=park.id, user_id=alice.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_commune_proposal_is_supported_by_its_residents_only(w, cycle):
    park = proposal(cycle, w.north, "Parc", w.users["alice"])
    shared = proposal(cycle, None, "Piste cyclable", w.users["alice"])
    with pytest.raises(NotAllowed):
        supports.support(w.users["bob"], park)  # Sudville
    with pytest.raises(NotAllowed):
        supports.support(w.users["zoe"], shared)  # another intercommunalité
    supports.support(w.users["bob"], shared)
    assert supports.support_counts([park.id, shared.id]) == {shared.id: 1}


def test_supports_need_the_supports_phase_and_a_confirmed_address(w):
    plain = factories.cycle(w, Phase.PROPOSALS)  # no supports phase: exactly as before
    park = proposal(plain, w.north, "Parc", w.users["bob"])
    with pytest.raises(WrongPhase):
        supports.support(w.users["alice"], park)
    cycle = factories.cycle(w, Phase.SUPPORTS)
    garden = proposal(cycle, w.north, "Jardin", w.users["bob"])
    unconfirmed = factories.user("new@example.fr", w.north, verified=False)
    with pytest.raises(EmailNotVerified):
        supports.support(unconfirmed, garden)
    assert db.session.scalars(select(ProposalSupport)).all() == []


def test_a_proposal_no_longer_considered_cannot_be_supported(w, cycle):
    rejected = proposal(cycle, w.north, "Parc", w.users["bob"], Status.REJECTED)
    with pytest.raises(NotAllowed):
        supports.support(w.users["alice"], rejected)


def test_a_support_cannot_be_withdrawn_once_the_phase_is_over(w, cycle):
    park = proposal(cycle, w.north, "Parc", w.users["bob"])
    supports.support(w.users["alice"], park)
    to_review(cycle)
    with pytest.raises(WrongPhase):
        supports.withdraw(w.users["alice"], park)
    assert supports.support_count(park) == 1


def test_the_list_sorts_the_most_supported_first(w, cycle):
    titles = ["Peu", "Beaucoup", "Aucun"]
    made = {t: proposal(cycle, None, t, w.users["bob"]) for t in titles}
    for person in residents(w, w.north, 3, "fan"):
        supports.support(person, made["Beaucoup"])
    supports.support(w.users["alice"], made["Peu"])
    found = db.session.scalars(finding.proposal_list(
        cycle, [Status.SUBMITTED], Filters(sort="most_supported"))).all()
    assert [p.title for p in found] == ["Beaucoup", "Peu", "Aucun"]


def test_a_top_n_threshold_keeps_the_n_most_supported_of_each_envelope_and_all_ties(w, cycle):
    author = w.users["bob"]
    north = {t: proposal(cycle, w.north, t, author) for t in ("N5", "N3a", "N3b", "N1")}
    south = {t: proposal(cycle, w.south, t, author) for t in ("S2", "S1", "S0")}
    decided = proposal(cycle, w.north, "Déjà au scrutin", author, Status.ON_BALLOT)
    fans = residents(w, w.north, 5, "nfan")
    for count, title in ((5, "N5"), (3, "N3a"), (3, "N3b"), (1, "N1")):
        for person in fans[:count]:
            supports.support(person, north[title])
    for person in residents(w, w.south, 2, "sfan"):
        supports.support(person, south["S2"])
    supports.support(w.users["bob"], south["S1"])
    to_review(cycle, {"kind": "top", "value": 2})
    reached = {p.id: True for p in (*north.values(), *south.values())} | {
        north["N1"].id: False, south["S0"].id: False}
    assert support_close.outcomes(cycle) == reached  # what the review queue shows
    before = len(outbox())
    verdict = support_close.close(w.users["staff"], cycle, lambda p: f"https://x/{p.id}")
    db.session.expire_all()
    assert support_close.outcomes(cycle) == reached  # as closed, from its audit entry
    assert {p.title for p in verdict.dropped} == {"N1", "S0"}
    assert north["N1"].status == Status.UNSUPPORTED
    assert south["S0"].status == Status.UNSUPPORTED
    assert {north[t].status for t in ("N5", "N3a", "N3b")} == {Status.SUBMITTED}
    assert {south[t].status for t in ("S2", "S1")} == {Status.SUBMITTED}
    assert decided.status == Status.ON_BALLOT
    mails = outbox()[before:]
    assert len(mails) == 2 and all(m["To"] == author.email for m in mails)
    logged = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "proposal.unsupported")).all()
    assert {(e.subject_id, e.before["supports"]) for e in logged} == {
        (str(north["N1"].id), 1), (str(south["S0"].id), 0)}
    assert cycle.supports_closed_at is not None
    with pytest.raises(DomainError):
        support_close.close(w.users["staff"], cycle)


def test_an_absolute_threshold_leaves_out_those_below_it_and_none_leaves_out_nobody(w):
    for threshold, left_out in (({"kind": "count", "value": 2}, {"Un"}), (None, set())):
        cycle = factories.cycle(w, Phase.SUPPORTS)
        two, one = (proposal(cycle, None, t, w.users["bob"]) for t in ("Deux", "Un"))
        for person in residents(w, w.north, 2, f"c{cycle.id}-"):
            supports.support(person, two)
        supports.support(w.users["alice"], one)
        to_review(cycle, threshold)
        verdict = support_close.close(w.users["staff"], cycle)
        assert {p.title for p in verdict.dropped} == left_out


def test_the_supports_phase_is_closed_only_once_it_is_over(w, cycle):
    with pytest.raises(WrongPhase):
        support_close.close(w.users["staff"], cycle)
    plain = factories.cycle(w, Phase.REVIEW)
    with pytest.raises(DomainError):
        support_close.close(w.users["staff"], plain)
