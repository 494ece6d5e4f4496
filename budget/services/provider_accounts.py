"""Accounts signed in through an OpenID Connect provider (FranceConnect or another).

The protocol itself (state, nonce, PKCE, the ID token's signature, issuer, audience and
expiry) is Authlib's, at the web edge (blueprints/auth/provider_client.py); what arrives here
is a verified identity. An identity finds its account by a keyed hash of the provider's
subject; the first sign-in either creates an account or links an existing one, which takes
that account's password (an address alone proves nothing: the provider's may be unverified).
Nothing is written before the resident confirms on the platform's own page.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import DomainError
from budget.domain.phases import N_
from budget.extensions import db
from budget.models import Commune, ProviderIdentity, User
from budget.models.time import utcnow
from budget.services import accounts
from budget.services.transaction import unit_of_work, use_case

ALREADY_LINKED = N_("This account is already linked to another identity.")
IDENTITY_TAKEN = N_("This identity is already linked to another account: sign in with it.")


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the platform keeps of a verified sign-in until the resident confirms (in their
    session): the subject's keyed hash, never the subject itself."""

    subject_hash: str
    email: str | None
    email_trusted: bool  # the provider vouches for the address (FranceConnect, email_verified)
    given_name: str
    birth_date: date | None

    def as_session(self) -> dict:
        return {"subject_hash": self.subject_hash, "email": self.email,
                "email_trusted": self.email_trusted, "given_name": self.given_name,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None}

    @classmethod
    def from_session(cls, data) -> VerifiedIdentity | None:
        if not isinstance(data, dict) or not data.get("subject_hash"):
            return None
        birth = data.get("birth_date")
        try:  # a session written by another version of the app: no pending identity
            born = date.fromisoformat(birth) if birth else None
        except (TypeError, ValueError):
            return None
        return cls(data["subject_hash"], data.get("email"), bool(data.get("email_trusted")),
                   data.get("given_name") or "", born)


def parse_birth_date(value) -> date | None:
    """The `birthdate` claim (YYYY-MM-DD), or None when absent or not a full date (OpenID
    Connect allows "0000-MM-DD" and a year alone: no age can be checked from those)."""
    try:
        parsed = date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return parsed if parsed and parsed.year > 1 else None


def linked_account(subject_hash: str) -> User | None:
    return db.session.scalar(select(User).join(ProviderIdentity, ProviderIdentity.user_id
                                               == User.id)
                             .where(ProviderIdentity.subject_hash == subject_hash))


def identity_of(user) -> ProviderIdentity | None:
    if user is None or not getattr(user, "id", None):
        return None
    return db.session.scalar(select(ProviderIdentity).where(ProviderIdentity.user_id
                                                            == user.id))


def account_with_email(email: str | None) -> User | None:
    if not email:
        return None
    return db.session.scalar(select(User).where(User.email == accounts.normalize_email(email)))


@use_case
def record_sign_in(user: User, identity: VerifiedIdentity) -> None:
    """A linked account signed in again: note when, and take the certified date of birth if
    the provider gives one it did not give before (it never changes otherwise)."""
    link = identity_of(user)
    link.last_sign_in_at = utcnow()
    if link.birth_date is None and identity.birth_date is not None:
        link.birth_date = identity.birth_date


def link_existing(identity: VerifiedIdentity, password: str) -> User:
    """Link the identity to the account with the identity's email, once that account's
    password is given; one commit. Raises DomainError (field "password") for a wrong
    password, or when either side is linked already (nothing is written)."""
    user = account_with_email(identity.email)
    if user is None or accounts.authenticate(user.email, password) is None:
        raise DomainError("Wrong password.", field="password")
    _link(user, identity)
    return user


def create_account(identity: VerifiedIdentity, display_name: str, home_commune_id: int,
                   notify_results: bool = False) -> User:
    """A new account for the identity (its address, confirmed when the provider vouches for
    it), linked to it; one commit. Its password is random and unknown: the resident signs in
    through the provider, or chooses one with "forgotten password". Raises DomainError
    (field-tagged); nothing is written then."""
    if not identity.email:
        raise DomainError("The identity provider gave no email address: create an account "
                          "with your address first, then sign in with the provider to link it.")
    if db.session.get(Commune, home_commune_id) is None:
        raise DomainError("Choose your commune from the list.", field="home_commune_id")
    if not display_name.strip():
        raise DomainError("Enter the name shown on your proposals.", field="display_name")
    if account_with_email(identity.email) is not None:
        raise DomainError("An account already uses this address: sign in with the provider "
                          "again to link it with its password.")
    user = User(email=accounts.normalize_email(identity.email),
                password_hash=accounts.hash_password(secrets.token_urlsafe(32)),
                display_name=display_name.strip(), home_commune_id=home_commune_id,
                notify_results=notify_results,
                email_verified_at=utcnow() if identity.email_trusted else None)
    _link(user, identity)
    return user


def _link(user: User, identity: VerifiedIdentity) -> None:
    try:
        with unit_of_work():
            if identity_of(user) is not None:
                raise DomainError(ALREADY_LINKED)
            if linked_account(identity.subject_hash) is not None:
                raise DomainError(IDENTITY_TAKEN)
            db.session.add(user)
            db.session.flush()
            db.session.add(ProviderIdentity(user_id=user.id,
                                            subject_hash=identity.subject_hash,
                                            birth_date=identity.birth_date))
    except IntegrityError:  # the same identity or address linked at the same moment
        raise DomainError(IDENTITY_TAKEN) from None
