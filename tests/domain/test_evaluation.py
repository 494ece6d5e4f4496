"""The evaluation's rules and indicators (domain/evaluation.py): plain data, no app."""
from datetime import date

import pytest
from hypothesis import given, strategies as st

from budget.domain.errors import DomainError
from budget.domain.evaluation import (SMALL_COUNT, Usage, check_answer, check_open, check_text,
                                      combine, evaluation_ends, project_indicators)


def test_residents_answer_during_one_year_after_the_delivery():
    check_open(date(2026, 3, 10), date(2027, 3, 10))
    with pytest.raises(DomainError, match="closed one year"):
        check_open(date(2026, 3, 10), date(2027, 3, 11))
    with pytest.raises(DomainError, match="once it is delivered"):
        check_open(None, date(2026, 3, 10))


def test_a_delivery_on_29_february_closes_on_28_february():
    assert evaluation_ends(date(2028, 2, 29)) == date(2029, 2, 28)


def test_an_answer_needs_a_usage_and_a_usefulness_from_1_to_5():
    assert check_answer("sometimes", 4, "  Pratique  ") == (Usage.SOMETIMES, 4, "Pratique")
    assert check_answer("no", 1, "   ")[2] is None
    for usage, usefulness, field in (("maybe", 3, "usage"), ("yes", 0, "usefulness"),
                                     ("yes", 6, "usefulness"), ("yes", None, "usefulness")):
        with pytest.raises(DomainError) as caught:
            check_answer(usage, usefulness, None)
        assert caught.value.field == field
    with pytest.raises(DomainError):
        check_answer("yes", 3, "x" * 1001)


def test_the_staff_text_is_a_few_sentences():
    assert check_text("  Le jardin est très fréquenté.  ") == "Le jardin est très fréquenté."
    with pytest.raises(DomainError):
        check_text("Trop court")


def test_fewer_than_five_answers_show_no_figure():
    few = project_indicators([(Usage.YES, 5)] * (SMALL_COUNT - 1), has_text=False)
    assert (few.answers, few.using_share, few.mean_usefulness) == (None, None, None)
    assert not few.evaluated
    assert project_indicators([], has_text=True).evaluated, "a published text evaluates it"


def test_five_answers_give_the_share_using_it_and_the_mean_usefulness():
    found = project_indicators([(Usage.YES, 5), (Usage.SOMETIMES, 4), (Usage.NO, 1),
                                (Usage.NO, 2), (Usage.YES, 3)], has_text=False)
    assert (found.answers, found.using_share, found.mean_usefulness) == (5, 0.6, 3.0)
    assert found.evaluated


def test_a_set_of_projects_is_measured_from_the_projects_shown_only():
    shown = project_indicators([(Usage.YES, 4)] * 5, has_text=False)
    hidden = project_indicators([(Usage.NO, 1)] * 2, has_text=False)
    texted = project_indicators([], has_text=True)
    together = combine({1: shown, 2: hidden, 3: texted})
    assert (together.delivered, together.evaluated, together.evaluated_share) == (3, 2, 0.6667)
    assert together.mean_usefulness == 4.0, "the hidden project's answers are left out"
    assert combine({}).evaluated_share is None and combine({}).mean_usefulness is None


@given(st.lists(st.tuples(st.sampled_from(list(Usage)), st.integers(1, 5)), max_size=40))
def test_indicators_stay_within_their_scales(answers):
    found = project_indicators(answers, has_text=False)
    if found.answers:
        assert 0 <= found.using_share <= 1 and 1 <= found.mean_usefulness <= 5
    else:
        assert found.answers == (0 if not answers else None)
