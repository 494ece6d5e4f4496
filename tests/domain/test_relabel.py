"""Ballots relabelled for an envelope (budget/domain/relabel.py): the compiled pass and the
Python one agree, order of first appearance and counts included."""
import random
from collections import Counter

import pytest

from budget.domain import relabel as module
from budget.domain.relabel import member_counts, relabel


def _boxes(rng):
    items = [(n, None) for n in range(40)]
    boxes = []
    for _ in range(rng.randint(0, 4)):
        box = Counter()
        for _ in range(rng.randint(0, 150)):
            box[frozenset(rng.sample(items, rng.randint(0, 8)))] += rng.choice([1, 1, 3, 10**25])
        boxes.append(box)
    return boxes, {item: str(item[0]) for item in rng.sample(items, rng.randint(0, 40))}


def test_members_without_a_label_are_left_out_and_equal_ballots_counted_together():
    boxes = [{frozenset({1, 2}): 2, frozenset({2, 3}): 1, frozenset({3}): 4},
             {frozenset({1, 2, 3}): 5}]
    relabelled = relabel(boxes, {1: "a", 2: "b"})
    assert list(relabelled.items()) == [(frozenset({"a", "b"}), 7), (frozenset({"b"}), 1)]
    assert member_counts(relabelled) == {"a": 7, "b": 8}


def test_the_compiled_pass_is_the_python_one(monkeypatch):
    if module._mescore is None:
        pytest.skip("pure-Python build")
    rng = random.Random(3)
    cases = [_boxes(rng) for _ in range(200)]
    cases.append(([{frozenset({1}): True, frozenset({1, 2}): 2}], {1: "a", 2: "b"}))  # a bool
    cases.append(([{frozenset(range(2000)): 1}], {1: "a"}))   # beyond the compiled pass's size
    compiled = [(list(relabel(b, label).items()), member_counts(relabel(b, label)))
                for b, label in cases]
    monkeypatch.setattr(module, "_mescore", None)
    assert compiled == [(list(relabel(b, label).items()), member_counts(relabel(b, label)))
                        for b, label in cases]
