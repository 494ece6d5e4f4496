from datetime import datetime, timedelta

import pytest

from budget.domain.phases import Phase, Schedule, current_phase

START = datetime(2026, 3, 1)
SCHEDULE = Schedule(START, START + timedelta(days=30), START + timedelta(days=60),
                    START + timedelta(days=75))


@pytest.mark.parametrize("offset_days, phase", [
    (-1, Phase.UPCOMING), (0, Phase.PROPOSALS), (29, Phase.PROPOSALS), (30, Phase.REVIEW),
    (60, Phase.VOTE), (74.99, Phase.VOTE), (75, Phase.COUNTING), (400, Phase.COUNTING),
])
def test_phase_follows_the_dates(offset_days, phase):
    now = START + timedelta(days=offset_days)
    assert current_phase(SCHEDULE, now, published=False) == phase


def test_publication_moves_to_results():
    assert current_phase(SCHEDULE, START + timedelta(days=80), published=True) == Phase.RESULTS


def test_schedule_in_order_has_no_problem():
    assert SCHEDULE.problems() == []


def test_dates_out_of_order_are_each_reported():
    bad = Schedule(START, START, START - timedelta(days=1), START - timedelta(days=2))
    assert [p.field for p in bad.problems()] == ["review_start", "vote_start", "vote_end"]
