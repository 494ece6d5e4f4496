"""Nothing in the ballot box says who voted: no voter id, and not even the storage order."""
from sqlalchemy import inspect, text

from budget.domain.phases import Phase
from budget.domain.receipts import receipt_hash
from budget.extensions import db
from budget.services import ballot_box, voting
from tests import factories


def test_storage_order_of_ballots_is_not_the_order_of_voting(session):
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    park = factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    hashes_in_casting_order = []
    for number in range(25):
        voter = factories.user(f"voter{number}@example.fr", w.north)
        code = voting.cast(voter, cycle, [park.id])
        hashes_in_casting_order.append(receipt_hash(code))
    ballot_box.seal(cycle)
    stored = [row.receipt_hash for row in session.execute(text("SELECT * FROM ballots"))]
    assert sorted(stored) == sorted(hashes_in_casting_order)
    assert stored != hashes_in_casting_order
    assert stored != hashes_in_casting_order[::-1]


def test_ballot_tables_hold_no_reference_to_people(app, session):
    inspector = inspect(db.session.connection())
    for table in ("ballots", "ballot_selections"):
        referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert "users" not in referred and "participations" not in referred
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not columns & {"user_id", "voter_id", "created_at", "voted_at"}
