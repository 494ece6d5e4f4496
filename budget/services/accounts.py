"""Accounts: registration and sign-in."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import Commune, Role, User

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def register(email: str, password: str, display_name: str, home_commune_id: int,
             role: Role = Role.CITIZEN) -> User:
    """Create an account; raises DomainError (field-tagged) when a rule is broken."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("The password must have at least %(count)d characters.",
                          field="password", count=MIN_PASSWORD_LENGTH)
    if db.session.get(Commune, home_commune_id) is None:
        raise DomainError("Choose your commune from the list.", field="home_commune_id")
    email = normalize_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError("An account already exists with this email address.", field="email")
    user = User(email=email, password_hash=hash_password(password),
                display_name=display_name.strip(), home_commune_id=home_commune_id, role=role)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same email registered at the same moment
        db.session.rollback()
        raise DomainError("An account already exists with this email address.",
                          field="email") from None
    return user


def sign_out_everywhere(user: User) -> None:
    """Revoke every session of this user, on every device (the cookies' ids go stale)."""
    user.session_version += 1
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        hash_password(password)  # same work as a real check: timing must not reveal accounts
        return None
    return user if check_password_hash(user.password_hash, password) else None
