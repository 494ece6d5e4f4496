import pytest

from budget.domain.ballot_rules import (Approval, BallotEnvelope, Knapsack, check_ballot,
                                        vote_format_from)
from budget.domain.errors import DomainError

COMMUNE = BallotEnvelope(id=1, name="Nordville", amount=10_000, costs={1: 4_000, 2: 5_000,
                                                                       3: 3_000})
SHARED = BallotEnvelope(id=2, name="Intercommunal", amount=50_000, costs={10: 30_000,
                                                                         11: 25_000})
BALLOT = [COMMUNE, SHARED]


def messages(problems):
    return [p.message for p in problems]


def test_valid_approval_ballot():
    assert check_ballot(Approval(max_choices=2), BALLOT, [1, 2, 10]) == []


def test_limits_apply_per_envelope():
    problems = check_ballot(Approval(max_choices=2), BALLOT, [1, 2, 3, 10])
    assert len(problems) == 1
    assert problems[0].params == {"count": 2, "envelope": "Nordville"}


def test_minimum_per_envelope():
    problems = check_ballot(Approval(min_choices=1), BALLOT, [1])
    assert [p.params["envelope"] for p in problems] == ["Intercommunal"]


def test_empty_ballot_is_refused():
    assert messages(check_ballot(Approval(), BALLOT, [])) == ["Choose at least one project."]


def test_project_not_on_this_ballot_is_refused():
    assert messages(check_ballot(Approval(), BALLOT, [1, 99])) == [
        "A project you chose is not on your ballot."]


def test_knapsack_within_each_envelope():
    assert check_ballot(Knapsack(), BALLOT, [1, 2, 10]) == []
    over = check_ballot(Knapsack(), BALLOT, [1, 2, 3, 10, 11])
    assert [p.params["envelope"] for p in over] == ["Nordville", "Intercommunal"]


def test_knapsack_exactly_the_amount_is_allowed():
    exact = BallotEnvelope(id=3, name="X", amount=9_000, costs={1: 4_000, 2: 5_000})
    assert check_ballot(Knapsack(), [exact], [1, 2]) == []


def test_knapsack_minimum_share_rounds_up():
    envelope = BallotEnvelope(id=3, name="X", amount=10_001, costs={1: 5_000, 2: 5_001})
    problems = check_ballot(Knapsack(min_share_percent=50), [envelope], [1])
    assert problems[0].params["minimum"] == 5_001
    assert check_ballot(Knapsack(min_share_percent=50), [envelope], [2]) == []


def test_knapsack_an_empty_envelope_is_abstaining_there_whatever_the_minimum():
    """A voter who wants only their commune's projects leaves the intercommunal envelope
    empty: the tally does not count them there, so the minimum share does not apply."""
    at_least_half = Knapsack(min_share_percent=50)
    assert check_ballot(at_least_half, BALLOT, [1, 2]) == []
    problems = check_ballot(at_least_half, BALLOT, [1, 2, 11])  # 25 000 of 50 000: enough
    assert problems == []
    short = check_ballot(Knapsack(min_share_percent=75), BALLOT, [1, 2, 11])
    assert [(p.params["envelope"], p.params["minimum"]) for p in short] == [
        ("Intercommunal", 37_500)]
    assert "or choose nothing there to abstain" in short[0].message
    assert messages(check_ballot(at_least_half, BALLOT, [])) == ["Choose at least one project."]


@pytest.mark.parametrize("name, params", [
    ("approval", {"min_choices": -1}),
    ("approval", {"min_choices": 3, "max_choices": 2}),
    ("approval", {"max_choices": 0}),
    ("knapsack", {"min_share_percent": 101}),
    ("knapsack", {"unknown": 1}),
    ("ranked", {}),
])
def test_invalid_vote_formats_are_refused(name, params):
    with pytest.raises(DomainError):
        vote_format_from(name, params)


def test_stored_parameters_round_trip():
    approval = vote_format_from("approval", {"min_choices": 1, "max_choices": 3})
    assert vote_format_from("approval", approval.as_params()) == approval


def test_minimum_never_exceeds_the_projects_an_envelope_has():
    sparse = BallotEnvelope(id=4, name="Petite", amount=5_000, costs={7: 1_000})
    empty = BallotEnvelope(id=5, name="Vide", amount=5_000, costs={})
    assert check_ballot(Approval(min_choices=2), [sparse, empty], [7]) == []
    assert len(check_ballot(Approval(min_choices=2), [COMMUNE], [1])) == 1
