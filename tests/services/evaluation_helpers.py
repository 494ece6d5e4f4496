"""A published cycle whose winners are delivered (tests/services/tracking_helpers.py): what the
evaluation tests start from. Nordville's Jardin and the intercommunal Piste are delivered
today; Sudville's Préau is still in works."""
from __future__ import annotations

from budget.domain.delivery import Stage, TrackingUpdate
from budget.services import tracking, tracking_read
from tests import factories
from tests.services.tracking_helpers import Published, published_cycle


def deliver(proposal, by, delivered_on=None) -> None:
    """`by` (staff of the body that delivers it) records `proposal` as delivered."""
    tracking.update(by, tracking_read.of_proposal(proposal), TrackingUpdate(
        stage=Stage.DELIVERED, progress=100, committed=0, spent=0, planned_delivery=None,
        delivered_on=delivered_on or tracking.today(), abandon_reason="", service="",
        delivered_by_commune=proposal.envelope.commune_id is not None))


def delivered_cycle() -> Published:
    pub = published_cycle(factories.world())
    deliver(pub.jardin, pub.w.users["northclerk"])
    deliver(pub.piste, pub.w.users["staff"])
    return pub
