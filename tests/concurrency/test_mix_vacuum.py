"""The mix's vacuum (services/ballot_box.py) forgets deleted ballots' transaction ids without
ever truncating a table: truncating needs the table's ACCESS EXCLUSIVE lock, which voters'
inserts would queue behind, and while any voter's transaction holds the table PostgreSQL
retries for it for 5 seconds a table (15 s a mix, each test that mixed on CI's PostgreSQL)."""
from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import InboxBallot
from budget.models.time import utcnow
from budget.services import ballot_box
from tests import factories
from tests.concurrency.cleanup import empty_every_table


def inbox_pages() -> int:
    return db.session.scalar(sa.text("SELECT pg_relation_size('ballot_inbox')")) // 8192


def test_the_mix_vacuum_never_truncates_a_table(app):
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("the vacuum is PostgreSQL's (SQLite keeps no deleted row)")
        try:
            w = factories.world()
            cycle = factories.cycle(w, Phase.VOTE)
            project = factories.project(cycle, w.north, "Parc", 1_000, w.users["bob"])
            db.session.add_all(InboxBallot(
                id=secrets.token_hex(16), cycle_id=cycle.id, commune_id=w.north.id,
                receipt_hash=secrets.token_hex(32), selections=[[project.id, None]],
                queued_at=utcnow()) for _ in range(2_000))
            db.session.commit()
            before = inbox_pages()
            assert before > 1
            assert ballot_box.mix() == 2_000
            db.session.commit()
            assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxBallot)) == 0
            assert inbox_pages() == before  # emptied, vacuumed, not truncated
        finally:
            empty_every_table()
