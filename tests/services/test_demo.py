from importlib import resources

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.domain.proposals import Status
from budget.models import (Ballot, BudgetCycle, Comment, Commune, CouncilAdoption,
                           Intercommunality, Participation, Proposal, ProposalImage,
                           ProposalSupport, Report, User)
from budget.services import demo_media, editions, policy, support_close, supports
from budget.services.demo import load_demo
from budget.services.voting import ballot_sections
from budget.domain.ballot_rules import check_ballot


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_is_complete_and_loading_it_twice_duplicates_nothing(session):
    load_demo(ballot_count=40)
    first = {model: count(model) for model in (Commune, User, BudgetCycle, Proposal, Ballot,
                                               Participation)}
    assert load_demo(ballot_count=40).created == []
    assert {model: count(model) for model in first} == first
    assert first[Commune] == 10 and first[BudgetCycle] == 5
    current = db.session.scalar(select(BudgetCycle).where(BudgetCycle.title.contains("2026")))
    assert db.session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.cycle_id == current.id)) == 40
    # The past editions' voters are the current one's (40 here), plus 40 paper ballots in 2025.
    assert first[Ballot] == 40 + 40 + 40 + 40 and first[Participation] == 40 * 3
    phases = {c.title: c.phase() for c in db.session.scalars(select(BudgetCycle))}
    assert phases == {"Budget participatif 2024": Phase.RESULTS,
                      "Budget participatif 2025": Phase.RESULTS,
                      "Budget participatif 2026": Phase.VOTE,
                      "Budget participatif 2027": Phase.PROPOSALS,
                      "Budget participatif de La Flotte 2027": Phase.SUPPORTS}
    upcoming = db.session.scalar(select(BudgetCycle).where(
        BudgetCycle.title == "Budget participatif 2027"))
    assert upcoming.proposals_start < upcoming.supports_start < upcoming.review_start
    assert upcoming.support_threshold == {"kind": "top", "value": 3}


def test_the_past_editions_are_published_adopted_and_side_by_side(session):
    load_demo(ballot_count=30)
    epci = db.session.scalar(select(Intercommunality))
    found = editions.editions(epci)
    assert [e.title for e in found] == ["Budget participatif 2024", "Budget participatif 2025"]
    assert [(e.online, e.paper) for e in found] == [(30, 0), (30, 40)]
    assert all(e.winners > 0 and 0 < e.spent <= e.amount for e in found)
    outcomes = [(a.deliberation_number, a.outcome) for a in db.session.scalars(
        select(CouncilAdoption).order_by(CouncilAdoption.id))]
    assert [outcome for _, outcome in outcomes] == ["adopted", "adopted_amended"]


def test_demo_ballots_follow_the_ballot_rules(session):
    load_demo(ballot_count=60)
    for ballot in db.session.scalars(select(Ballot)):
        cycle = db.session.get(BudgetCycle, ballot.cycle_id)
        sections = ballot_sections(cycle, ballot.commune_id)
        selected = [s.proposal_id for s in ballot.selections]
        assert check_ballot(cycle.ballot_format, [s.as_domain() for s in sections],
                            selected) == []


@pytest.fixture(autouse=True)
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


ILE_DE_RE = ((46.14, 46.26), (-1.57, -1.25))  # latitudes, longitudes around the island


def test_every_demo_proposal_has_a_place_on_the_island_and_a_few_have_a_photo(session,
                                                                              uploads):
    load_demo(ballot_count=5)
    for title in ("Budget participatif 2026",):
        cycle = db.session.scalar(select(BudgetCycle).where(BudgetCycle.title == title))
        shown = [p for p in db.session.scalars(select(Proposal).where(
            Proposal.cycle_id == cycle.id)) if p.status != Status.REJECTED]
        places = [(p.latitude, p.longitude) for p in shown]
        assert shown and all(lat is not None for lat, _ in places), title
        assert len(set(places)) == len(places), title  # one marker per proposal
        (south, north), (west, east) = ILE_DE_RE
        assert all(south < lat < north and west < lon < east for lat, lon in places)
    photos = list(db.session.scalars(select(ProposalImage)))
    assert len({p.alt_text for p in photos}) >= 3
    for photo in photos:
        assert photo.alt_text.startswith("Dessin")
        assert (uploads / f"{photo.token}.jpg").is_file()


def test_the_demo_places_lie_in_their_commune(session):
    """Each place is nearer its own commune's centre than any other commune's: a typo in
    places.csv (a swapped digit, a place given to the wrong commune) shows."""
    centres = {code: places[0] for code, places in demo_media.places().items()
               if code != demo_media.INTERCOMMUNAL}
    for code, places in demo_media.places().items():
        if code == demo_media.INTERCOMMUNAL:
            continue
        for lat, lon in places:
            nearest = min(centres, key=lambda c: (centres[c][0] - lat) ** 2
                          + ((centres[c][1] - lon) * 0.69) ** 2)
            assert nearest == code, (code, lat, lon)


def test_the_shipped_photos_are_small(session):
    for name, _ in demo_media.PHOTOS.values():
        data = resources.files("budget.data").joinpath("demo", "photos", name).read_bytes()
        assert len(data) < 100_000, name


def test_every_proposal_of_the_demo_cycle_has_a_theme_that_fits_its_title(session):
    load_demo(ballot_count=5)
    cycle = db.session.scalar(select(BudgetCycle).where(
        BudgetCycle.title == "Budget participatif 2026"))
    themed = {p.title: {t.name for t in p.themes} for p in db.session.scalars(
        select(Proposal).where(Proposal.cycle_id == cycle.id))}
    assert all(themed.values())
    assert "Mobilité" in themed["Navette électrique estivale entre les villages"]
    assert themed["Covoiturage solidaire pour les aînés"] == {"Mobilité", "Solidarité"}
    assert len({name for names in themed.values() for name in names}) >= 5


def test_the_demo_has_a_cycle_in_its_supports_phase_whose_threshold_leaves_three_out(session):
    load_demo(ballot_count=5)
    cycle = db.session.scalar(select(BudgetCycle).where(
        BudgetCycle.title == "Budget participatif de La Flotte 2027"))
    assert cycle.phase() == Phase.SUPPORTS and cycle.commune.name == "La Flotte"
    proposals = db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id)).all()
    counts = supports.support_counts(p.id for p in proposals)
    assert sorted(counts.values(), reverse=True) == [23, 17, 12, 7, 4, 1]
    assert all(p.themes for p in proposals)
    verdict = support_close.preview(cycle)
    assert [counts[p.id] for p in verdict.dropped] == [7, 4, 1]
    habitant = db.session.scalar(select(User).where(User.email == "habitant@demo.budget.fr"))
    assert policy.can(habitant, policy.Action.SUPPORT, cycle, proposals[0])
    assert load_demo(ballot_count=5).created == [] and count(ProposalSupport) == 64


def test_the_demo_has_comments_and_one_hidden_by_the_moderators(session):
    load_demo(ballot_count=10)
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) == 4 and sum(c.parent_id is not None for c in comments) == 1
    [hidden] = [c for c in comments if c.is_hidden]
    assert hidden.hidden_reason and hidden.proposal.cycle.title == "Budget participatif 2027"
    assert db.session.scalar(select(Report).where(Report.comment_id == hidden.id)).outcome \
        == "hidden"
    assert load_demo(ballot_count=10).created == [] and count(Comment) == 4


def test_the_demo_evaluates_its_delivered_projects_once(session):
    from budget.models import EvaluationAnswer, ProjectEvaluation
    from budget.services import evaluation_read

    load_demo(ballot_count=120)
    answers, texts = count(EvaluationAnswer), count(ProjectEvaluation)
    assert answers >= 6 and texts == 2  # one text per past edition
    epci = db.session.scalar(select(Intercommunality))
    cycle_ids = [e.cycle_id for e in editions.editions(epci)]
    measured = evaluation_read.of_cycles(cycle_ids)
    assert all(m.delivered and m.evaluated for m in measured.values())
    assert any(m.mean_usefulness is not None for m in measured.values())
    load_demo(ballot_count=120)
    assert (count(EvaluationAnswer), count(ProjectEvaluation)) == (answers, texts)
