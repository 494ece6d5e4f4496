"""Accounts: registration and sign-in."""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from budget import mail
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
             role: Role = Role.CITIZEN, notify_results: bool = False) -> User:
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
                display_name=display_name.strip(), home_commune_id=home_commune_id, role=role,
                notify_results=notify_results)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same email registered at the same moment
        db.session.rollback()
        raise DomainError("An account already exists with this email address.",
                          field="email") from None
    return user


def _reset_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_seal(user: User) -> str:
    """Changes whenever the password does: a reset link is spent once it has been used."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def send_password_reset(email: str, link_for) -> None:
    """Email a reset link if an account has this address; say nothing either way, so that
    the form does not reveal who has an account. link_for(token) -> absolute URL."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return
    token = _reset_signer().dumps({"user": user.id, "seal": _password_seal(user)})
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    mail.send(user.email, gettext("Choose a new password"), gettext(
        "Hello %(name)s,\n\nTo choose a new password for the participatory budget, open this "
        "link within %(hours)d hour(s):\n\n%(link)s\n\nIf you did not ask for it, ignore "
        "this message: your password stays as it is.", name=user.display_name, hours=hours,
        link=link_for(token)))


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; every session of the account ends. Raises
    DomainError when the link is forged, expired or already used, or the password too short."""
    max_age = current_app.config["PASSWORD_RESET_HOURS"] * 3600
    try:
        data = _reset_signer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        raise DomainError("This link is invalid or has expired. Ask for a new one.") from None
    user = db.session.get(User, data.get("user"))
    if user is None or data.get("seal") != _password_seal(user):
        raise DomainError("This link has already been used. Ask for a new one.")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise DomainError("The password must have at least %(count)d characters.",
                          field="password", count=MIN_PASSWORD_LENGTH)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    db.session.commit()
    return user


def set_results_notifications(user: User, wanted: bool) -> None:
    """Opt in to (or out of) an email when a cycle's results are published."""
    user.notify_results = wanted
    db.session.commit()


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
