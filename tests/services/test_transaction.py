"""Taking the write lock with changes pending is an error, not a silent commit; a use case
never runs inside another."""
import pytest
from sqlalchemy import update

from budget.extensions import PendingWork, begin_write_transaction, db
from budget.models import Commune
from budget.services.transaction import NestedUseCase, unit_of_work
from tests import factories


@pytest.fixture
def w(session):
    return factories.world()


def test_reading_first_is_fine(w):
    db.session.get(Commune, w.north.id)
    begin_write_transaction()


@pytest.mark.parametrize("change", ["added", "changed", "flushed", "statement"])
def test_changes_pending_refuse_the_write_lock(w, change):
    if change == "added":
        db.session.add(Commune(intercommunality=w.epci, name="Neuf", insee_code="99009",
                               population=10))
    elif change == "changed":
        w.north.name = "Nordville-sur-Mer"
    elif change == "flushed":
        w.north.name = "Nordville-sur-Mer"
        db.session.flush()
    else:
        db.session.execute(update(Commune).where(Commune.id == w.north.id)
                           .values(population=2))
    with pytest.raises(PendingWork):
        begin_write_transaction()


def test_a_use_case_inside_another_is_refused_and_both_roll_back(w):
    with pytest.raises(NestedUseCase):
        with unit_of_work():
            w.north.name = "Nordville-sur-Mer"
            with unit_of_work():
                pass
    assert db.session.get(Commune, w.north.id).name == "Nordville"
