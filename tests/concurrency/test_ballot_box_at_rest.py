"""At rest, nothing joins a voter to their ballot: the attacks of a database administrator or a
backup holder, tried on ballots cast through the web, with real commits.

A participation (who voted) and the ballot (what was voted) are written in one transaction, so
on PostgreSQL both rows carry that transaction's id (`xmin`), and the heap keeps rows in the
order they were written. Ballots therefore land in an inbox and are mixed into the box in
batches, in a random order, by a transaction of their own (services/ballot_box.py). These tests
cast ballots as residents do, let the mix run, then try every join an attacker would.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from budget.domain.phases import Phase
from budget.domain.receipts import receipt_hash
from budget.extensions import db
from budget.models import BudgetCycle, Proposal, User
from budget.models.time import utcnow
from budget.services import ballot_box, tally
from tests import factories
from tests.concurrency.cleanup import empty_every_table
from tests.conftest import Browser

VOTERS = 45  # two full mixes and a remainder left in the inbox until the tally
RECEIPT = re.compile(r'class="receipt"[^>]*>([^<]*)<')


@pytest.fixture
def cast_by_residents(app):
    """VOTERS residents vote through the web, one after the other; yields (cycle id, the user
    ids in voting order, their receipt hashes in the same order)."""
    with app.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.VOTE)
        projects = [factories.project(cycle, w.north, f"Projet {n}", 1_000, w.users["bob"]).id
                    for n in range(4)]
        voters = [factories.user(f"secret{n}@example.fr", w.north).id for n in range(VOTERS)]
        cycle_id = cycle.id
        db.session.commit()
        db.session.remove()
    hashes = []  # each request in its own app context, as in production
    for number in range(VOTERS):
        browser = Browser(app.test_client())
        browser.login(f"secret{number}@example.fr")
        response = browser.post(f"/cycles/{cycle_id}/vote/confirm",
                                {"project": [projects[number % 4]]})
        assert response.status_code == 200, response.get_data(as_text=True)  # the receipt
        page = response.get_data(as_text=True)
        hashes.append(receipt_hash(RECEIPT.search(page).group(1).strip()))
    with app.app_context():
        yield cycle_id, voters, hashes
        empty_every_table()


def dialect() -> str:
    return db.session.get_bind().dialect.name


def rows(sql: str, **params) -> list:
    return db.session.execute(sa.text(sql), params).all()


def test_no_join_on_transaction_ids_during_the_vote(app, cast_by_residents):
    if dialect() != "postgresql":
        pytest.skip("transaction ids per row (xmin) are PostgreSQL's")
    cycle_id, voters, hashes = cast_by_residents
    joined = rows("SELECT p.user_id, b.id FROM participations p "
                  "JOIN ballots b ON b.xmin = p.xmin")
    assert joined == []
    joined = rows("SELECT p.user_id FROM participations p "
                  "JOIN ballot_selections s ON s.xmin = p.xmin")
    assert joined == []


def heap_xmins(table: str) -> set[str]:
    """The transaction ids stamped on every tuple stored in `table`'s pages, deleted tuples
    not yet vacuumed included (pageinspect reads the pages as a DBA or a disk image would)."""
    pages = db.session.scalar(sa.text(
        "SELECT pg_relation_size(:t) / current_setting('block_size')::int"), {"t": table})
    found = set()
    for page in range(pages):
        found |= {str(r.t_xmin) for r in rows(
            "SELECT t_xmin FROM heap_page_items(get_raw_page(:t, :p)) "
            "WHERE t_xmin IS NOT NULL", t=table, p=page)}
    return found


def test_no_deleted_row_keeps_a_voters_transaction_id(app, cast_by_residents):
    if dialect() != "postgresql":
        pytest.skip("PostgreSQL keeps deleted rows, with their xmin, until vacuumed")
    db.session.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    db.session.commit()
    voters_transactions = {r.xmin for r in rows("SELECT xmin::text AS xmin FROM participations")}
    assert len(voters_transactions) == VOTERS
    for table in ("ballots", "ballot_selections"):
        assert not heap_xmins(table) & voters_transactions, table
    # The inbox holds the last few ballots, live, until the next mix; none it held before.
    waiting = {r.xmin for r in rows("SELECT xmin::text AS xmin FROM ballot_inbox")}
    assert len(waiting) == VOTERS % ballot_box.MIX_SIZE
    assert heap_xmins("ballot_inbox") & voters_transactions == waiting


def test_what_waits_in_the_inbox_is_a_few_ballots_at_most(app, cast_by_residents):
    cycle_id, voters, hashes = cast_by_residents
    waiting = db.session.scalar(sa.text("SELECT count(*) FROM ballot_inbox"))
    assert waiting < ballot_box.MIX_SIZE
    in_box = {r.receipt_hash for r in rows("SELECT receipt_hash FROM ballots")}
    assert len(in_box) == VOTERS - waiting


def stored_order() -> list[str]:
    """Receipt hashes as the database stores the ballots (and as a dump lists them)."""
    order = "ctid" if dialect() == "postgresql" else "id"  # SQLite: WITHOUT ROWID, by id
    return [r.receipt_hash for r in rows(f"SELECT receipt_hash FROM ballots ORDER BY {order}")]


def test_storage_order_is_not_the_voting_order_during_the_vote(app, cast_by_residents):
    cycle_id, voters, hashes = cast_by_residents
    stored = stored_order()
    in_voting_order = [h for h in hashes if h in set(stored)]
    assert sorted(stored) == sorted(in_voting_order)
    assert stored != in_voting_order


def test_after_the_tally_the_box_is_one_anonymous_heap(app, cast_by_residents):
    cycle_id, voters, hashes = cast_by_residents
    cycle = db.session.get(BudgetCycle, cycle_id)
    cycle.vote_end = utcnow() - timedelta(minutes=1)
    db.session.commit()
    staff = db.session.scalar(sa.select(User).where(User.email == "staff@example.fr"))
    tally.run_tally(staff, db.session.get(BudgetCycle, cycle_id))
    assert db.session.scalar(sa.text("SELECT count(*) FROM ballot_inbox")) == 0
    stored = stored_order()
    assert sorted(stored) == sorted(hashes)
    assert stored != hashes and stored != hashes[::-1]
    if dialect() == "postgresql":
        # Every ballot of the cycle was written by the same transaction: xmin says nothing.
        assert db.session.scalar(sa.text(
            "SELECT count(DISTINCT xmin::text) FROM ballots WHERE cycle_id = :c"),
            {"c": cycle_id}) == 1
        assert rows("SELECT 1 FROM participations p JOIN ballots b ON b.xmin = p.xmin") == []


def test_a_later_ballot_is_sealed_in_by_the_next_tally(app, cast_by_residents):
    """A second tally of an unchanged box leaves it as the first sealed it; a paper ballot
    validated after the first tally makes the next one seal the whole box again."""
    from budget.services import paper

    cycle_id, voters, hashes = cast_by_residents
    if dialect() != "postgresql":
        pytest.skip("transaction ids per row (xmin) are PostgreSQL's")
    cycle = db.session.get(BudgetCycle, cycle_id)
    cycle.vote_end = utcnow() - timedelta(minutes=1)
    db.session.commit()
    staff = db.session.scalar(sa.select(User).where(User.email == "staff@example.fr"))

    def writers() -> set[str]:
        return {r.xmin for r in rows("SELECT xmin::text AS xmin FROM ballots WHERE cycle_id = :c"
                                     " UNION SELECT s.xmin::text FROM ballot_selections s"
                                     " JOIN ballots b ON b.id = s.ballot_id WHERE b.cycle_id = :c",
                                     c=cycle_id)}

    tally.run_tally(staff, db.session.get(BudgetCycle, cycle_id))
    db.session.commit()
    sealed = writers()
    assert len(sealed) == 1
    tally.run_tally(staff, db.session.get(BudgetCycle, cycle_id))
    db.session.commit()
    assert writers() == sealed

    cycle = db.session.get(BudgetCycle, cycle_id)
    project = db.session.scalar(sa.select(Proposal.id).where(Proposal.cycle_id == cycle_id)
                                .limit(1))
    north = db.session.get(Proposal, project).envelope.commune
    batch = paper.create_batch(staff, cycle, north, "Mairie", 1)
    for person in ("staff@example.fr", "northclerk@example.fr"):
        clerk = db.session.scalar(sa.select(User).where(User.email == person))
        paper.start_entry(clerk, batch)
        paper.enter_ballot(clerk, batch, 1, "valid", [project])
    paper.validate(staff, batch)
    db.session.commit()
    assert len(writers()) == 2
    tally.run_tally(staff, db.session.get(BudgetCycle, cycle_id))
    db.session.commit()
    resealed = writers()
    assert len(resealed) == 1 and resealed != sealed


def test_ballots_carry_no_date_or_time(app):
    with app.app_context():
        inspector = sa.inspect(db.session.connection())
        for table in ("ballots", "ballot_selections"):
            for column in inspector.get_columns(table):
                assert not isinstance(column["type"], sa.Date | sa.DateTime), (table, column)
