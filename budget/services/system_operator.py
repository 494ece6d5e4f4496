"""The actor of command-line jobs, which the policy (services/policy.py) lets act as an admin;
re-exported there as policy.SYSTEM_OPERATOR."""
from __future__ import annotations

from dataclasses import dataclass

from budget.models import Role


@dataclass(frozen=True)
class SystemOperator:
    """The actor of command-line jobs (`flask budget ...`): an operator, not a person.

    It may act wherever an admin may (role ADMIN), in the phases the table allows: nobody, not
    even the operator, tallies during the vote. It has no account (id None: a run it stores has
    no `created_by_id`), no home commune, so it never acts as a resident or as an author.
    """

    role: Role = Role.ADMIN
    id: None = None
    home_commune_id: None = None
    home_commune: None = None
    works_for_commune_id: None = None
    works_for_intercommunality_id: None = None
    display_name: str = "system operator"
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False
    is_staff: bool = True
    email_verified: bool = True


SYSTEM_OPERATOR = SystemOperator()
