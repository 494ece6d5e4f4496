"""The public list of a cycle's proposals: filtered, searched, sorted, a query to paginate.

The list shows by default the statuses the caller gives (the public list: what the cycle's
page lists in its phase; from the vote on, the ballot). Its status filter offers those, then,
once the results are published, "won" (WON: not a status of its own, the winners of the
published tally run, which stay on the ballot), then every other status anyone may read in
the phase (services/reading.py): from the vote on, the proposals not kept, with their
reasons, as a commune accounts for them.

Sorts are named in SORTS (the order of the choices people see); "random" is the default, in
an order of its own for each visitor (a seed kept in their session), so that no project gains
from its place in the list. A new sort (most supported) is one more entry and one more
branch in `_order`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import BigInteger, Select, cast, func, select
from sqlalchemy.orm import selectinload

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, Proposal, ProposalSupport, Theme
from budget.services import search, stored_result
from budget.services.reading import PUBLIC_PROPOSALS

SORTS = ("random", "newest", "most_supported", "cost_asc", "cost_desc")
DEFAULT_SORT = "random"
WON = "won"  # the status filter's choice for the winners of the published tally run
_PRIME = 2_147_483_647  # 2**31 - 1: the random order is computed modulo this prime


@dataclass(frozen=True)
class Filters:
    """What a visitor asks the list for; None or "" for no filter."""

    query: str = ""
    commune_id: int | None = None  # its envelope's proposals and the intercommunal ones
    theme_id: int | None = None
    status: Status | str | None = None  # a Status, or WON
    cost_min: int | None = None  # whole euros, the cost voters see (final once set)
    cost_max: int | None = None
    sort: str = DEFAULT_SORT


def proposal_list(cycle: BudgetCycle, statuses, filters: Filters, seed: int = 1) -> Select:
    """The cycle's proposals in `statuses` (or in the status `filters` asks for, among
    status_choices) that pass `filters`, in the asked order (`seed` picks the random one). A
    status not offered lists nothing; WON lists the winners of the published run among
    `statuses` (none before the publication)."""
    if filters.status and filters.status != WON:
        shown = [filters.status] if filters.status in status_choices(cycle, statuses) else []
    else:
        shown = list(statuses)
    query = (select(Proposal).join(Envelope)
             .where(Proposal.cycle_id == cycle.id, Proposal.status.in_(shown))
             .options(selectinload(Proposal.themes), selectinload(Proposal.images),
                      selectinload(Proposal.envelope).selectinload(Envelope.commune)))
    if filters.status == WON:
        query = query.where(Proposal.id.in_(winner_ids(cycle)))
    if filters.commune_id is not None:
        query = query.where((Envelope.commune_id == filters.commune_id)
                            | Envelope.commune_id.is_(None))
    if filters.theme_id is not None:
        query = query.where(Proposal.themes.any(Theme.id == filters.theme_id))
    cost = func.coalesce(Proposal.final_cost, Proposal.estimated_cost)
    if filters.cost_min is not None:
        query = query.where(cost >= filters.cost_min)
    if filters.cost_max is not None:
        query = query.where(cost <= filters.cost_max)
    found = search.matches(filters.query)
    if found is not None:
        query = query.where(found)
    return query.order_by(*_order(filters.sort, cost, seed))


def status_choices(cycle: BudgetCycle, statuses) -> tuple[Status | str, ...]:
    """What the status filter offers: `statuses` (what the list shows by default), WON once
    the results are published, then the other statuses anyone may read in the cycle's phase,
    in the order of Status."""
    phase = cycle.phase()
    won = (WON,) if phase == Phase.RESULTS and Status.ON_BALLOT in statuses else ()
    others = tuple(s for s in Status if s in PUBLIC_PROPOSALS[phase] and s not in statuses)
    return (*statuses, *won, *others)


def winner_ids(cycle: BudgetCycle) -> set[int]:
    """The proposals funded by the cycle's published tally run (none before it)."""
    run = cycle.published_run
    if run is None:
        return set()
    return {project.id for _envelope, project in stored_result.read(run.result).winners}


def found(cycle: BudgetCycle, statuses, filters: Filters, seed: int = 1) -> list[Proposal]:
    """Every proposal of proposal_list (for a map, which shows them all at once)."""
    return list(db.session.scalars(proposal_list(cycle, statuses, filters, seed)))


def _order(sort: str, cost, seed: int) -> list:
    if sort == "newest":
        return [Proposal.created_at.desc(), Proposal.id.desc()]
    if sort == "most_supported":
        backing = (select(func.count(ProposalSupport.id))
                   .where(ProposalSupport.proposal_id == Proposal.id).scalar_subquery())
        return [backing.desc(), Proposal.id]
    if sort == "cost_asc":
        return [cost, Proposal.id]
    if sort == "cost_desc":
        return [cost.desc(), Proposal.id]
    # Random, the same for one seed: the id goes through x -> (x * a + c) mod P, then is
    # squared mod P (a, c drawn from the seed; P prime, so the products fit in 63 bits). The
    # square mixes what the first, linear step leaves in order; ties (rare) go by id.
    a, c = _constants(seed)
    mixed = (cast(Proposal.id, BigInteger) * a + c) % _PRIME
    return [(mixed * mixed) % _PRIME, Proposal.id]


def _constants(seed: int) -> tuple[int, int]:
    digest = hashlib.sha256(str(seed).encode()).digest()
    return (1 + int.from_bytes(digest[:8], "big") % (_PRIME - 1),
            int.from_bytes(digest[8:16], "big") % _PRIME)
