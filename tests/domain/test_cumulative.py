"""Cumulative ballots: each voter shares out points in each envelope."""
import pytest

from budget.domain.ballot_rules import Cumulative, check_ballot, read_points, vote_format_from
from budget.domain.errors import DomainError
from tests.domain.test_ballot_rules import BALLOT, messages

TEN = Cumulative(total_points=10, max_per_project=5)


def test_valid_cumulative_ballot():
    assert check_ballot(TEN, BALLOT, {1: 5, 2: 5, 10: 3}) == []


def test_points_are_limited_per_envelope():
    problems = check_ballot(Cumulative(total_points=10), BALLOT, {1: 6, 2: 6, 10: 10})
    assert messages(problems) == ["You gave %(given)d points in “%(envelope)s”, you have "
                                  "%(available)d."]
    assert problems[0].params == {"given": 12, "envelope": "Nordville", "available": 10}


def test_points_per_project_are_limited():
    problems = check_ballot(TEN, BALLOT, {1: 6})
    assert messages(problems) == ["At most %(count)d points per project."]
    assert problems[0].params == {"count": 5}


@pytest.mark.parametrize("points", ["-1", "2.5", "abc", "", "1e3", "٣"])
def test_points_must_be_whole_numbers_from_the_form(points):
    sent = {"1": "3", "2": points}
    problems = check_ballot(TEN, BALLOT, sent)
    if points == "":  # a blank field is 0
        assert problems == []
    else:
        assert messages(problems) == ["Points must be whole numbers, 0 or more."]


@pytest.mark.parametrize("points", [-1, 2.5, True, None])
def test_points_must_be_whole_numbers(points):
    assert messages(check_ballot(TEN, BALLOT, {1: points})) == [
        "Points must be whole numbers, 0 or more."]


def test_no_points_at_all_is_an_empty_ballot():
    assert messages(check_ballot(TEN, BALLOT, {1: 0, 10: 0})) == ["Choose at least one project."]
    assert messages(check_ballot(TEN, BALLOT, {})) == ["Choose at least one project."]


def test_an_envelope_without_points_is_allowed():
    assert check_ballot(TEN, BALLOT, {10: 4}) == []


@pytest.mark.parametrize("sent", [{1: 3, 99: 0}, {1: 3, 99: 2}, {"1": "3", "x": "1"}])
def test_projects_not_on_the_ballot_are_refused_even_with_zero_points(sent):
    assert messages(check_ballot(TEN, BALLOT, sent)) == [
        "A project you chose is not on your ballot."]


def test_a_project_sent_twice_is_refused():
    assert messages(check_ballot(TEN, BALLOT, [("1", "2"), ("1", "3")])) == [
        "A project was chosen twice."]


def test_read_points_gives_ints():
    assert read_points([("1", " 3 "), ("2", ""), (10, 4)]) == {1: 3, 2: 0, 10: 4}
    with pytest.raises(DomainError):
        read_points({"1": "-2"})


def test_registry_and_parameters():
    assert vote_format_from("cumulative", {"total_points": 7, "max_per_project": 3}) \
        == Cumulative(7, 3)
    assert vote_format_from("cumulative", TEN.as_params()) == TEN
    assert vote_format_from("cumulative", {"total_points": 7}).max_per_project is None


@pytest.mark.parametrize("params, field", [
    ({"total_points": 0}, "total_points"),
    ({"total_points": "10"}, "total_points"),
    ({"total_points": 5, "max_per_project": 6}, "max_per_project"),
    ({"total_points": 5, "max_per_project": 0}, "max_per_project"),
])
def test_bad_parameters_are_refused(params, field):
    with pytest.raises(DomainError) as error:
        vote_format_from("cumulative", params)
    assert error.value.field == field


def test_other_formats_do_not_take_points():
    assert vote_format_from("approval", {}).takes_points is False
    assert vote_format_from("knapsack", {}).takes_points is False
