"""A small vote cast through the services, closed, tallied (greedy) and, by default, published.

Nordville (envelope 10 000 €), ballots of alice, nina, noé:
    A 6 000 € 3 votes -> funded, 4 000 left
    C 3 000 € 2 votes (same votes as B, cheaper: first) -> funded, 1 000 left
    B 4 000 € 2 votes -> skipped: 1 000 € left, it costs 4 000 €
    D 1 000 € 1 vote  -> funded, 0 left
Intercommunal envelope (20 000 €), every ballot: N 12 000 € 2 votes (older than P) funded,
    P 12 000 € 2 votes skipped (8 000 € left), V 8 000 € 1 vote funded.
Sudville (30 000 €), bob's ballot: H 25 000 € 1 vote funded; F 6 000 € 0 votes skipped (5 000 €
    left); F's title is a spreadsheet formula.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from budget.domain.phases import Phase
from budget.models import BudgetCycle, TallyRun
from budget.services import cycles, tally, voting
from tests import factories

EN = {"Accept-Language": "en"}
FORMULA = '=HYPERLINK("http://evil.example","clic")'
PROJECTS = {  # key: (title, commune attribute of the world or None, cost)
    "A": ("Aire de jeux « Les Mouettes »", "north", 6_000),
    "B": ("Rénovation de l’école", "north", 4_000),
    "C": ("Bancs et ombrières", "north", 3_000),
    "D": ("Boîte à livres", "north", 1_000),
    "N": ("Navette électrique", None, 12_000),
    "P": ("Piste cyclable côtière", None, 12_000),
    "V": ("Vélos en libre-service", None, 8_000),
    "H": ("Halle du marché", "south", 25_000),
    "F": (FORMULA, "south", 6_000),
}
BALLOTS = {"alice": "ABCNP", "nina": "ABC", "noe": "AD", "bob": "HNPV"}
WINNERS = {"A", "C", "D", "N", "V", "H"}


@dataclass
class Voted:
    world: factories.World
    cycle: BudgetCycle
    run: TallyRun
    ids: dict[str, int]  # project key -> proposal id

    def title(self, key: str) -> str:
        return PROJECTS[key][0]

    def envelope(self, commune) -> dict:
        commune_id = commune.id if commune is not None else None
        return next(e for e in self.run.result["envelopes"] if e["commune_id"] == commune_id)


def cast_close_tally(w: factories.World, cycle: BudgetCycle, ballots: dict[str, list[int]]):
    """Cast each user's ballot (by email local part) through the voting service, close the vote
    and run the tally as staff; returns the (unpublished) run."""
    for name, selection in ballots.items():
        voter = w.users.get(name) or factories.user(f"{name}@example.fr", w.north)
        w.users[name] = voter
        voting.cast(voter, cycle, selection)
    staff = w.users["staff"]
    cycles.close_vote(staff, cycle)
    return tally.run_tally(staff, cycle)


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def tallied(w) -> Voted:
    """The vote above, tallied, not published."""
    cycle = factories.cycle(w, Phase.VOTE, vote_params={}, amounts=(20_000, 10_000, 30_000))
    ids = {}
    for key, (title, commune, cost) in PROJECTS.items():
        ids[key] = factories.project(cycle, getattr(w, commune) if commune else None, title,
                                     cost, w.users["bob"]).id
    run = cast_close_tally(w, cycle, {
        name: [ids[key] for key in keys] for name, keys in BALLOTS.items()})
    return Voted(w, cycle, run, ids)


@pytest.fixture
def published(tallied) -> Voted:
    tally.publish(tallied.world.users["staff"], tallied.cycle, tallied.run.id)
    return tallied
