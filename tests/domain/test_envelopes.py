"""The proportional split of a total among communes (no app needed)."""
from __future__ import annotations

import random

import pytest

from budget.domain.envelopes import proportional_amounts
from budget.domain.errors import DomainError


def test_exact_shares_need_no_rounding():
    assert proportional_amounts(40_000, {"99001": 1000, "99002": 3000}) == {
        "99001": 10_000, "99002": 30_000}


def test_the_remainder_goes_to_the_largest_remainders():
    # 100 / 3 each: 33.33... three times, one euro left, ties broken by INSEE code.
    assert proportional_amounts(100, {"17003": 1, "17001": 1, "17002": 1}) == {
        "17003": 33, "17001": 34, "17002": 33}
    # 10 € for 1:2:3 -> 1.67, 3.33, 5: the 0.67 remainder wins the euro left.
    assert proportional_amounts(10, {"a": 1, "b": 2, "c": 3}) == {"a": 2, "b": 3, "c": 5}


def test_a_commune_without_population_gets_nothing():
    assert proportional_amounts(1001, {"99001": 0, "99002": 7, "99003": 3}) == {
        "99001": 0, "99002": 701, "99003": 300}


def test_zero_total_and_empty_territories():
    assert proportional_amounts(0, {"99001": 10}) == {"99001": 0}
    assert proportional_amounts(0, {"99001": 0}) == {"99001": 0}
    assert proportional_amounts(0, {}) == {}


@pytest.mark.parametrize("total, populations", [
    (-1, {"99001": 10}), (100, {"99001": 0}), (100, {}), (100, {"99001": -5, "99002": 10})])
def test_refused_inputs(total, populations):
    with pytest.raises(DomainError):
        proportional_amounts(total, populations)


def test_random_splits_sum_exactly_never_negative_and_are_deterministic():
    rng = random.Random(20261126)
    for _ in range(500):
        codes = [f"{rng.randrange(100_000):05d}" for _ in range(rng.randint(1, 12))]
        populations = {code: rng.choice([0, rng.randint(1, 50), rng.randint(1, 90_000)])
                       for code in codes}
        if not any(populations.values()):
            populations[codes[0]] = 1
        total = rng.randint(0, 5_000_000)
        amounts = proportional_amounts(total, populations)
        assert sum(amounts.values()) == total
        assert all(amount >= 0 for amount in amounts.values())
        assert all(amounts[code] == 0 for code, population in populations.items()
                   if population == 0)
        shuffled = dict(rng.sample(list(populations.items()), len(populations)))
        assert proportional_amounts(total, shuffled) == amounts
        people = sum(populations.values())
        for code, population in populations.items():  # never more than 1 € from the exact share
            assert abs(amounts[code] - total * population / people) < 1
