"""A published cycle of the factories' world, with a winner in each envelope: what the
tracking tests start from.

    Nordville (10 000 €): Jardin 6 000 € (3 votes) funded, Banc 9 000 € (1 vote) not.
    Sudville (30 000 €): Préau 20 000 € (1 vote) funded.
    Intercommunal (100 000 €): Piste 50 000 € (4 votes) funded.
"""
from __future__ import annotations

from dataclasses import dataclass

from budget.domain.phases import Phase
from budget.models import BudgetCycle, Proposal
from budget.services import cycles, policy, tally, voting
from tests import factories


@dataclass
class Published:
    w: factories.World
    cycle: BudgetCycle
    jardin: Proposal  # Nordville's winner
    banc: Proposal  # Nordville's loser
    preau: Proposal  # Sudville's winner
    piste: Proposal  # the intercommunal winner


def published_cycle(w: factories.World, commune_voters: int = 3) -> Published:
    cycle = factories.cycle(w, Phase.VOTE)
    author = w.users["alice"]
    jardin = factories.project(cycle, w.north, "Jardin partagé", 6_000, author)
    banc = factories.project(cycle, w.north, "Banc", 9_000, author)
    preau = factories.project(cycle, w.south, "Préau", 20_000, author)
    piste = factories.project(cycle, None, "Piste cyclable", 50_000, author)
    for number in range(commune_voters):
        voter = factories.user(f"voter{number}@example.fr", w.north)
        voting.cast(voter, cycle, [jardin.id, piste.id])
    voting.cast(w.users["alice"], cycle, [banc.id, piste.id])
    voting.cast(w.users["bob"], cycle, [preau.id])
    cycles.close_vote(policy.SYSTEM_OPERATOR, cycle)
    run = tally.run_tally(policy.SYSTEM_OPERATOR, cycle)
    tally.publish(policy.SYSTEM_OPERATOR, cycle, run.id)
    assert cycle.phase() == Phase.RESULTS
    return Published(w, cycle, jardin, banc, preau, piste)
