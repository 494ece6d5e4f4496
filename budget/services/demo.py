"""Demo data: a real intercommunalité (CC de l'Île de Ré), one account per role, a cycle
in its voting phase with realistic proposals and a few hundred synthetic ballots, and two past
editions with published results (demo_history.py), and La Flotte's own cycle in its supports
phase (demo_supports.py).

Idempotent: what already exists (matched by SIREN, INSEE code, email, cycle title) is kept.
Populations in the CSV are rounded legal populations.
"""
from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from sqlalchemy import select

from budget.domain.proposals import Status
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import db
from budget.models import (Ballot, BallotSelection, BudgetCycle, Commune, Envelope,
                           Intercommunality, Participation, Proposal, Role, User)
from budget.models.time import utcnow
from budget.services import (demo_discussion, demo_evaluation, demo_history, demo_media,
                             demo_supports, demo_themes, demo_tracking, images)
from budget.services.accounts import hash_password
from budget.services.transaction import unit_of_work

CYCLE_TITLE = "Budget participatif 2026"
NEXT_CYCLE_TITLE = "Budget participatif 2027"
# Days from now at which proposals, review and vote open, and the vote closes.
VOTING_DAYS = (-60, -30, -7, 14)
PROPOSING_DAYS = (-10, 30, 60, 80)
# The 2027 cycle's supports phase: from 20 days on, and its threshold, the 3 most supported
# proposals of each envelope (La Flotte's own cycle, demo_supports.py, is in its supports
# phase now, with supports).
SUPPORTS_DAY = 20
SUPPORT_THRESHOLD = {"kind": "top", "value": 3}
DEMO_ACCOUNTS = [  # email, password, display name, role; listed in the README
    ("admin@demo.budget.fr", "admin-demo-2026", "Administratrice", Role.ADMIN),
    ("agent@demo.budget.fr", "agent-demo-2026", "Agent de l'intercommunalité", Role.STAFF),
    ("mairie@demo.budget.fr", "mairie-demo-2026", "Agent de la mairie de La Flotte",
     Role.COMMUNE_STAFF),
    ("elu@demo.budget.fr", "elu-demo-2026", "Élue communautaire", Role.COUNCIL),
    ("habitant@demo.budget.fr", "habitant-demo-2026", "Camille Martin", Role.CITIZEN),
]
DEMO_HOME_INSEE = "17161"  # La Flotte
COMMUNE_IDEAS = [
    ("Bancs et ombrières sur la place du marché", 0.45),
    ("Aire de jeux inclusive près de l'école", 0.6),
    ("Récupérateurs d'eau de pluie pour les jardins partagés", 0.2),
    ("Boîte à livres et coin lecture au port", 0.1),
    ("Éclairage solaire du chemin de la plage", 0.35),
    ("Abri vélos sécurisé devant la mairie", 0.25),
    ("Fontaine à eau potable sur le front de mer", 0.15),
    ("Arbres et pleine terre dans la cour d'école", 0.4),
]
INTERCOMMUNAL_IDEAS = [
    ("Navette électrique estivale entre les villages", 90_000),
    ("Bornes de réparation vélo sur les pistes cyclables", 25_000),
    ("Sentier du littoral accessible en fauteuil roulant", 70_000),
    ("Composteurs collectifs dans chaque village", 30_000),
    ("Covoiturage solidaire pour les aînés", 40_000),
    ("Restauration des dunes de la côte sauvage", 60_000),
]
INTERCOMMUNAL_AMOUNT = 200_000
EUROS_PER_RESIDENT = 10


@dataclass
class DemoReport:
    created: list[str]


def load_demo(ballot_count: int = 300, seed: int = 2026,
              progress: Callable[[int], None] | None = None) -> DemoReport:
    """Load what is missing, in one transaction; progress(1), if given, after each synthetic
    ballot. The demo's photo files are removed if it fails."""
    report = DemoReport(created=[])
    with images.removed_unless_committed() as photo_files, unit_of_work():
        epci = _territory(report)
        communes = epci.communes
        home = next(c for c in communes if c.insee_code == DEMO_HOME_INSEE)
        accounts = {role: _account(email, password, name, role, home, report)
                    for email, password, name, role in DEMO_ACCOUNTS}
        # bandit B311: synthetic demo data, reproducible on purpose
        rng = random.Random(seed)  # nosec B311
        if not _cycle_exists(epci, CYCLE_TITLE):
            cycle = _cycle(epci, CYCLE_TITLE, VOTING_DAYS, report)
            photo_files += _proposals(cycle, communes, accounts[Role.CITIZEN], rng)
            _ballots(cycle, communes, ballot_count, rng, progress)
            report.created.append(f"{ballot_count} synthetic ballots")
        if not _cycle_exists(epci, NEXT_CYCLE_TITLE):
            cycle = _cycle(epci, NEXT_CYCLE_TITLE, PROPOSING_DAYS, report)
            cycle.supports_start = cycle.proposals_start + timedelta(
                days=SUPPORTS_DAY - PROPOSING_DAYS[0])
            cycle.support_threshold = SUPPORT_THRESHOLD
            _ideas(cycle, communes, accounts[Role.CITIZEN], rng)
            db.session.flush()
            demo_discussion.add_discussion(cycle, home, accounts)
        demo_supports.add_supports_cycle(epci, home, accounts[Role.CITIZEN], report)
        demo_history.add_past_editions(
            epci, _cycle, report, COMMUNE_IDEAS, INTERCOMMUNAL_IDEAS, accounts[Role.CITIZEN],
            rng, lambda title: _cycle_exists(epci, title))
    # The winners of the published cycles, at different stages of delivery.
    report.created += demo_tracking.stage_published_cycles(epci)
    report.created += demo_evaluation.add_evaluations(epci)  # of the delivered ones
    return report


def _cycle_exists(epci: Intercommunality, title: str) -> bool:
    return db.session.scalar(select(BudgetCycle.id).where(
        BudgetCycle.intercommunality_id == epci.id, BudgetCycle.title == title)) is not None


def _territory(report: DemoReport) -> Intercommunality:
    text = resources.files("budget.data").joinpath("territory_ile_de_re.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    epci = db.session.scalar(select(Intercommunality).where(
        Intercommunality.siren == rows[0]["siren_epci"]))
    if epci is None:
        epci = Intercommunality(siren=rows[0]["siren_epci"], name=rows[0]["nom_epci"])
        db.session.add(epci)
        report.created.append(epci.name)
    for row in rows:
        if db.session.scalar(select(Commune).where(Commune.insee_code == row["code_insee"])):
            continue
        db.session.add(Commune(intercommunality=epci, name=row["nom_commune"],
                               insee_code=row["code_insee"], population=int(row["population"])))
    db.session.flush()
    db.session.refresh(epci)
    return epci


def _account(email, password, name, role, commune, report) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash=hash_password(password), display_name=name,
                    role=role, home_commune_id=commune.id, email_verified_at=utcnow())
        if role == Role.COMMUNE_STAFF:
            user.works_for_commune_id = commune.id
        elif role in (Role.STAFF, Role.COUNCIL):
            user.works_for_intercommunality_id = commune.intercommunality_id
        db.session.add(user)
        report.created.append(email)
    return user


def _cycle(epci: Intercommunality, title: str, days: tuple, report: DemoReport) -> BudgetCycle:
    now = utcnow().replace(microsecond=0)
    proposals, review, vote_start, vote_end = (now + timedelta(days=d) for d in days)
    cycle = BudgetCycle(
        intercommunality=epci, title=title,
        description="Proposez puis choisissez les projets financés par l'intercommunalité "
                    "et par votre commune.",
        proposals_start=proposals, review_start=review, vote_start=vote_start,
        vote_end=vote_end,
        vote_format="approval", vote_params={"min_choices": 0, "max_choices": 3},
        tally_rule="greedy")
    db.session.add(cycle)
    db.session.add(Envelope(cycle=cycle, commune_id=None, amount=INTERCOMMUNAL_AMOUNT))
    for commune in epci.communes:
        amount = max(8_000, round(commune.population * EUROS_PER_RESIDENT, -3))
        db.session.add(Envelope(cycle=cycle, commune=commune, amount=amount))
    db.session.flush()
    report.created.append(title)
    return cycle


def _proposals(cycle: BudgetCycle, communes, author: User, rng: random.Random) -> list:
    """The cycle's proposals, placed on the island, a few with a photo; returns the photo
    files written."""
    description = ("Projet proposé par des habitants. Le coût final a été estimé par les "
                   "services techniques.")
    by_commune = {e.commune_id: e for e in cycle.envelopes}
    for commune in communes:
        envelope = by_commune[commune.id]
        for title, share in rng.sample(COMMUNE_IDEAS, 4):
            cost = int(round(envelope.amount * share * rng.uniform(0.9, 1.1), -2))
            db.session.add(Proposal(
                cycle=cycle, envelope=envelope, author=author, title=title,
                description=description, estimated_cost=cost, final_cost=cost,
                status=Status.ON_BALLOT))
    for title, cost in INTERCOMMUNAL_IDEAS:
        db.session.add(Proposal(cycle=cycle, envelope=by_commune[None], author=author,
                                title=title, description=description, estimated_cost=cost,
                                final_cost=cost, status=Status.ON_BALLOT))
    db.session.add(Proposal(
        cycle=cycle, envelope=by_commune[None], author=author,
        title="Téléphérique entre Rivedoux et La Rochelle", description=description,
        estimated_cost=40_000_000, status=Status.REJECTED,
        rejection_reason="Le coût dépasse de loin l'enveloppe et la compétence de "
                         "l'intercommunalité."))
    db.session.flush()
    demo_themes.add_themes(cycle, cycle_proposals(cycle))
    on_ballot = [p for p in cycle_proposals(cycle) if p.status == Status.ON_BALLOT]
    demo_media.place(on_ballot)
    return demo_media.add_photos(on_ballot)


def cycle_proposals(cycle: BudgetCycle) -> list[Proposal]:
    """The cycle's proposals, in the order they were added."""
    return list(db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id)
                                   .order_by(Proposal.id)))


def _ideas(cycle: BudgetCycle, communes, author: User, rng: random.Random) -> None:
    """A few proposals just submitted, waiting for review."""
    by_commune = {e.commune_id: e for e in cycle.envelopes}
    for commune in rng.sample(communes, 3):
        title, share = rng.choice(COMMUNE_IDEAS)
        cost = int(round(by_commune[commune.id].amount * share, -2))
        db.session.add(Proposal(cycle=cycle, envelope=by_commune[commune.id], author=author,
                                title=title, description="Idée déposée par une habitante.",
                                estimated_cost=cost, status=Status.SUBMITTED))


def _ballots(cycle: BudgetCycle, communes, count: int, rng: random.Random,
             progress: Callable[[int], None] | None) -> None:
    """Synthetic voters with realistic, uneven preferences, within the ballot rules."""
    unusable = hash_password(new_receipt_code())  # nobody knows it: these accounts cannot sign in
    projects = db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.status == Status.ON_BALLOT)).all()
    appeal = {p.id: rng.uniform(0.2, 1.0) for p in projects}
    weights = [c.population for c in communes]
    for number in range(1, count + 1):
        commune = rng.choices(communes, weights)[0]
        voter = User(email=f"electeur{number:04d}@demo.budget.fr", password_hash=unusable,
                     display_name=f"Électeur {number}", home_commune_id=commune.id,
                     email_verified_at=utcnow())
        db.session.add(voter)
        db.session.flush()
        chosen = []
        on_ballot = [p for p in projects
                     if p.envelope_id in {e.id for e in cycle.envelopes_for(commune.id)}]
        for envelope_id in {p.envelope_id for p in on_ballot}:
            liked = [p.id for p in on_ballot
                     if p.envelope_id == envelope_id and rng.random() < appeal[p.id] * 0.6]
            chosen += rng.sample(liked, min(3, len(liked)))
        if not chosen:  # a real ballot has at least one project
            chosen = [max(on_ballot, key=lambda p: appeal[p.id]).id]
        db.session.add(Participation(cycle_id=cycle.id, user_id=voter.id))
        db.session.add(Ballot(cycle_id=cycle.id, commune_id=commune.id,
                              receipt_hash=receipt_hash(new_receipt_code()),
                              selections=[BallotSelection(proposal_id=p) for p in chosen]))
        if progress:
            progress(1)
