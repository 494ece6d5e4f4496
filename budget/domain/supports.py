"""Which proposals the supports send to review: a threshold staff choose for the cycle.

- none: supports only inform; every proposal goes on to review.
- count: a proposal needs at least `value` supports.
- top: the `value` most supported proposals of each envelope go on; a tie at the last place
  keeps every tied proposal (none is left out by chance or by its id).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from budget.domain.errors import DomainError

MAX_THRESHOLD = 1_000_000


class ThresholdKind(str, enum.Enum):
    NONE = "none"
    COUNT = "count"
    TOP = "top"


@dataclass(frozen=True)
class Threshold:
    kind: ThresholdKind = ThresholdKind.NONE
    value: int | None = None

    @classmethod
    def checked(cls, kind: str, value: int | None) -> Threshold:
        """A threshold from what staff entered; raises DomainError when it cannot be one."""
        try:
            chosen = ThresholdKind(kind)
        except ValueError:
            raise DomainError("Choose how the supports decide.", field="support_threshold") \
                from None
        if chosen == ThresholdKind.NONE:
            return cls()
        if value is None or not 1 <= value <= MAX_THRESHOLD:
            raise DomainError("Give the threshold as a whole number between 1 and 1,000,000.",
                              field="support_threshold_value")
        return cls(chosen, value)

    @classmethod
    def from_params(cls, params: dict | None) -> Threshold:
        if not params:
            return cls()
        return cls(ThresholdKind(params["kind"]), params.get("value"))

    def as_params(self) -> dict | None:
        if self.kind == ThresholdKind.NONE:
            return None
        return {"kind": self.kind.value, "value": self.value}

    def below(self, envelopes: dict[int, dict[int, int]]) -> set[int]:
        """The proposals that do not reach the threshold. `envelopes`: envelope id ->
        {proposal id: its supports} for the proposals the supports decide on."""
        if self.kind == ThresholdKind.NONE:
            return set()
        left_out = set()
        for counts in envelopes.values():
            least = self.value if self.kind == ThresholdKind.COUNT else _top_cut(counts,
                                                                                  self.value)
            left_out |= {proposal for proposal, count in counts.items() if count < least}
        return left_out


def _top_cut(counts: dict[int, int], places: int) -> int:
    """The fewest supports that still keep a proposal among the `places` most supported,
    ties at the last place included."""
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) <= places:
        return 0
    return ranked[places - 1]
