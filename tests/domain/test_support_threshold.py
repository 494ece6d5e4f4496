import pytest

from budget.domain.errors import DomainError
from budget.domain.supports import Threshold, ThresholdKind

ENVELOPES = {1: {10: 5, 11: 3, 12: 3, 13: 1}, 2: {20: 0, 21: 2}}


def test_without_a_threshold_every_proposal_goes_on():
    assert Threshold().below(ENVELOPES) == set()


def test_an_absolute_threshold_leaves_out_the_proposals_with_fewer_supports():
    assert Threshold(ThresholdKind.COUNT, 3).below(ENVELOPES) == {13, 20, 21}


def test_the_top_n_per_envelope_keep_every_proposal_tied_at_the_last_place():
    assert Threshold(ThresholdKind.TOP, 2).below(ENVELOPES) == {13}


def test_the_top_n_keeps_an_envelope_with_fewer_proposals_than_places_whole():
    assert Threshold(ThresholdKind.TOP, 1).below(ENVELOPES) == {11, 12, 13, 20}
    assert Threshold(ThresholdKind.TOP, 5).below(ENVELOPES) == set()


def test_a_threshold_round_trips_through_its_stored_form():
    for threshold in (Threshold(), Threshold(ThresholdKind.COUNT, 7),
                      Threshold(ThresholdKind.TOP, 3)):
        assert Threshold.from_params(threshold.as_params()) == threshold


@pytest.mark.parametrize("kind, value", [("count", None), ("top", 0), ("count", -4),
                                         ("top", 2_000_000), ("most", 3)])
def test_a_threshold_staff_cannot_mean_is_refused(kind, value):
    with pytest.raises(DomainError):
        Threshold.checked(kind, value)


def test_no_threshold_ignores_a_number_left_in_the_form():
    assert Threshold.checked("none", 12) == Threshold()
