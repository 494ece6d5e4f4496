"""`flask budget purge-eligibility`: refused before the appeal period is over, then deletes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import CensusEntry
from budget.services import census
from tests import factories
from tests.commands.helpers import invoke

CENSUS = b"identifiant;date_de_naissance\nA1;02/03/1980\nA2;15/06/1975\n"


def census_cycle(w, ended_days_ago: int | None = None):
    """A census cycle in its vote, or whose vote ended that many days ago."""
    cycle = factories.cycle(w, Phase.VOTE)
    cycle.eligibility = EligibilityRules(proof=Proof.CENSUS).as_params()
    db.session.commit()
    census.import_census(w.users["staff"], cycle, w.north, CENSUS)
    if ended_days_ago is not None:
        # factories' vote ends in 10 days: move the whole schedule back.
        shift = timedelta(days=10 + ended_days_ago)
        for name in ("proposals_start", "review_start", "vote_start", "vote_end"):
            setattr(cycle, name, getattr(cycle, name) - shift)
        db.session.commit()
    return cycle


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(CensusEntry))


def test_the_purge_is_refused_during_the_vote_and_the_appeal_period(app, session):
    w = factories.world()
    cycle = census_cycle(w)
    during = invoke(app, "purge-eligibility", cycle.id)
    assert during.exit_code == 2 and "not closed" in during.stderr
    cycle = census_cycle(w, ended_days_ago=20)
    early = invoke(app, "purge-eligibility", cycle.id)
    assert early.exit_code == 2 and "appeal period runs until" in early.stderr
    assert entries() == 4


def test_the_purge_deletes_the_data_of_a_cycle_after_the_appeal_period(app, session):
    w = factories.world()
    cycle = census_cycle(w, ended_days_ago=20)
    kept = census_cycle(w)
    result = invoke(app, "purge-eligibility", cycle.id, "--appeal-days", 15)
    assert result.exit_code == 0, result.output
    assert "0 declarations, 2 census entries, 0 access codes" in result.stdout
    assert db.session.scalar(select(func.count()).select_from(CensusEntry)
                             .where(CensusEntry.cycle_id == kept.id)) == 2
    assert entries() == 2
    assert invoke(app, "purge-eligibility", 999999).exit_code == 2


def test_the_daily_purge_finds_every_cycle_past_its_appeal_period_and_only_those(app, session):
    w = factories.world()
    old = census_cycle(w, ended_days_ago=70)  # two calendar months are at most 62 days
    older = census_cycle(w, ended_days_ago=400)
    recent = census_cycle(w, ended_days_ago=20)
    voting = census_cycle(w)
    result = invoke(app, "purge-eligibility", "--all-due")
    assert result.exit_code == 0, result.output
    assert result.stdout.index(f"Cycle {older.id} ") < result.stdout.index(f"Cycle {old.id} ")
    left = set(db.session.scalars(select(CensusEntry.cycle_id)))
    assert left == {recent.id, voting.id}
    again = invoke(app, "purge-eligibility", "--all-due")  # nothing left to purge: no new audit
    assert again.exit_code == 0 and "No cycle" in again.stdout
    shorter = invoke(app, "purge-eligibility", "--all-due", "--appeal-days", 15)
    assert shorter.exit_code == 0 and f"Cycle {recent.id} " in shorter.stdout
    assert set(db.session.scalars(select(CensusEntry.cycle_id))) == {voting.id}
    assert invoke(app, "purge-eligibility").exit_code == 2
    assert invoke(app, "purge-eligibility", voting.id, "--all-due").exit_code == 2
