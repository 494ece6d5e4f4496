"""Sharing a total among communes in proportion to their population (whole euros)."""
from __future__ import annotations

from collections.abc import Mapping

from budget.domain.errors import DomainError


def proportional_amounts(total: int, populations: Mapping[str, int]) -> dict[str, int]:
    """Split `total` whole euros among communes (INSEE code -> population).

    Each commune first gets the floor of its exact share; the euros left over go one each to
    the largest remainders, ties broken by INSEE code (ascending), so the result is
    deterministic and sums exactly to `total`. A commune of population 0 gets 0.
    Raises DomainError (field "proportional_total") for a negative total, a negative
    population, or a total to share among communes that have no population at all.
    """
    if total < 0:
        raise DomainError("The total to share must be a whole number of euros, 0 or more.",
                          field="proportional_total")
    if any(population < 0 for population in populations.values()):
        raise DomainError("A population cannot be negative.", field="proportional_total")
    people = sum(populations.values())
    if people == 0:
        if total == 0:
            return {code: 0 for code in populations}
        raise DomainError("These communes have no population to share the total by.",
                          field="proportional_total")
    amounts = {code: total * population // people for code, population in populations.items()}
    # Remainders compared as exact integers (total * population mod people), not floats.
    order = sorted(populations, key=lambda code: (-(total * populations[code] % people), code))
    for code in order[:total - sum(amounts.values())]:
        amounts[code] += 1
    return amounts
