"""Admins say who works where: an account's role and the territory it works for."""
from __future__ import annotations

from sqlalchemy import Select, or_, select

from budget.domain.errors import DomainError
from budget.domain.numbers import whole_number
from budget.extensions import db
from budget.models import Commune, Intercommunality, Role, User
from budget.services import audit, second_factor
from budget.services.territories import check_admin
from budget.services.transaction import use_case


def search(query: str) -> Select:
    """Accounts whose email or name contains `query` (every one without it), by email: a
    query, to paginate. `%` and `_` in `query` are taken literally."""
    statement = select(User).order_by(User.email, User.id)
    if query.strip():
        text = query.strip().lower()
        for special in ("\\", "%", "_"):
            text = text.replace(special, "\\" + special)
        pattern = f"%{text}%"
        statement = statement.where(or_(User.email.like(pattern, escape="\\"),
                                        User.display_name.ilike(pattern, escape="\\")))
    return statement


def workplace_choices() -> list[tuple[str, str]]:
    """Workplaces as form values: "epci-ID" or "commune-ID", with readable names."""
    choices = [("", "—")]
    for epci in db.session.scalars(select(Intercommunality).order_by(Intercommunality.name)):
        choices.append((f"epci-{epci.id}", epci.name))
        choices += [(f"commune-{c.id}", f"{epci.name} › {c.name}") for c in epci.communes]
    return choices


def workplace_of(user: User) -> str:
    if user.works_for_commune_id:
        return f"commune-{user.works_for_commune_id}"
    if user.works_for_intercommunality_id:
        return f"epci-{user.works_for_intercommunality_id}"
    return ""


@use_case
def set_role(admin, user: User, role: Role, workplace: str) -> None:
    """Give `user` a role and the workplace it needs (none for residents and admins); one
    commit. The new rights apply at the person's next request (the account is read anew at
    each one); a role that requires a second factor ends the sessions begun without one."""
    check_admin(admin)
    if user.id == getattr(admin, "id", None) and role != Role.ADMIN:
        raise DomainError("You cannot remove your own administrator role.", field="role")
    kind, _, raw_id = workplace.partition("-")
    number = whole_number(raw_id)
    commune = db.session.get(Commune, number) if kind == "commune" and number is not None \
        else None
    epci = db.session.get(Intercommunality, number) if kind == "epci" and number is not None \
        else None
    if role == Role.COMMUNE_STAFF and commune is None:
        raise DomainError("Commune staff work for a commune: choose it.", field="workplace")
    if role in (Role.STAFF, Role.COUNCIL) and epci is None:
        raise DomainError("Choose the intercommunality this person works for.",
                          field="workplace")
    before = {"role": user.role, "workplace": workplace_of(user)}
    gains_second_factor = not second_factor.required_for(user)
    user.role = role
    if gains_second_factor and second_factor.required_for(user):
        # Its sessions began with a password alone: they end, and the next sign-in asks for
        # the code the new role requires (set up then).
        user.session_version += 1
    user.works_for_commune_id = commune.id if role == Role.COMMUNE_STAFF else None
    user.works_for_intercommunality_id = (epci.id if role in (Role.STAFF, Role.COUNCIL)
                                          else None)
    audit.record(admin, "account.role", user, before=before,
                 after={"role": user.role, "workplace": workplace_of(user)})
