"""Accounts: registration, sign-in, and the signed links sent by email (password reset,
address confirmation)."""
from __future__ import annotations

import hashlib
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

from budget import jobs
from budget.domain.errors import DomainError
from budget.extensions import begin_write_transaction, db
from budget.models import Commune, Role, User
from budget.models.time import utcnow
from budget.services import follows
from budget.services.transaction import unit_of_work, use_case

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    """Argon2id with the installation's cost (config ARGON2_TIME_COST, ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM; the defaults are RFC 9106's second recommendation, above OWASP's)."""
    config = current_app.config
    return PasswordHasher(time_cost=config.get("ARGON2_TIME_COST", 3),
                          memory_cost=config.get("ARGON2_MEMORY_KIB", 65536),
                          parallelism=config.get("ARGON2_PARALLELISM", 4))


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` ($argon2id$..., the PHC string format)."""
    return _hasher().hash(password)


def password_matches(user: User, password: str) -> bool:
    """Check `password` against the stored hash: Argon2id, or an older werkzeug hash (scrypt,
    pbkdf2) made before Argon2id. On a match, a hash that is older or made with a lower cost
    than today's is replaced by a new one (the caller commits)."""
    stored = user.password_hash
    hasher = _hasher()
    if stored.startswith("$argon2"):
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(stored):
            user.password_hash = hasher.hash(password)
        return True
    if not check_password_hash(stored, password):
        return False
    user.password_hash = hasher.hash(password)
    return True


def normalize_email(email: str) -> str:
    return email.strip().lower()


class SignInLinks(NamedTuple):
    """Absolute URLs of the sign-in and forgotten-password pages, for emails."""
    sign_in: str
    forgot_password: str


def register(email: str, password: str, display_name: str, home_commune_id: int,
             role: Role = Role.CITIZEN, link_for=None, notify_results: bool = False,
             help_links: SignInLinks | None = None) -> User | None:
    """Create an account, its address not yet confirmed, and email it a confirmation link
    (link_for(token) -> absolute URL; None: no email). Returns the new account, or None when
    the address already has one: that account is left as it is and its owner is told by
    email (with `help_links`) that someone tried to register with it, so that the caller can
    answer the same way in both cases and the form does not reveal who has an account.
    Raises DomainError (field-tagged) when a rule is broken, whatever the address."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("The password must have at least %(count)d characters.",
                          field="password", count=MIN_PASSWORD_LENGTH)
    if db.session.get(Commune, home_commune_id) is None:
        raise DomainError("Choose your commune from the list.", field="home_commune_id")
    email = normalize_email(email)
    password_hash = hash_password(password)  # either way: the time taken must not tell
    owner = db.session.scalar(select(User).where(User.email == email))
    if owner is not None:
        _warn_owner(owner, help_links)
        return None
    user = User(email=email, password_hash=password_hash,
                display_name=display_name.strip(), home_commune_id=home_commune_id, role=role,
                notify_results=notify_results)
    try:
        with unit_of_work():
            begin_write_transaction()
            db.session.add(user)
    except IntegrityError:  # the same email registered at the same moment
        _warn_owner(db.session.scalar(select(User).where(User.email == email)), help_links)
        return None
    if link_for is not None:
        send_email_verification(user, link_for)
    return user


def _warn_owner(owner: User | None, links: SignInLinks | None) -> None:
    if owner is None or links is None:
        return
    jobs.enqueue_email(
        owner.email, gettext("Someone tried to create an account with your address"), gettext(
        "Hello %(name)s,\n\nSomeone tried to create an account on the participatory budget "
        "with your email address, which already has one. Your account has not changed.\n\n"
        "If it was you, sign in:\n\n%(sign_in)s\n\nIf you no longer know your password, "
        "choose a new one here:\n\n%(forgot)s\n\nIf it was not you, ignore this message.",
        name=owner.display_name, sign_in=links.sign_in, forgot=links.forgot_password))


def _signer(purpose: str) -> URLSafeTimedSerializer:
    """Links are signed with the app's secret; the purpose (salt) keeps one kind of link from
    being used as another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _read_link(token: str, purpose: str, hours: int) -> tuple[User | None, dict]:
    """The account a signed link names, and the link's data. Raises DomainError when the link
    is forged, mangled or older than `hours`."""
    try:
        data = _signer(purpose).loads(token, max_age=hours * 3600)
    except BadSignature:  # also SignatureExpired
        raise DomainError("This link is invalid or has expired. Ask for a new one.") from None
    user_id = data.get("user") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user, data if isinstance(data, dict) else {}


def _password_seal(user: User) -> str:
    """Changes whenever the password does: a reset link is spent once it has been used."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def send_password_reset(email: str, link_for) -> None:
    """Email a reset link if an account has this address; say nothing either way, so that
    the form does not reveal who has an account. link_for(token) -> absolute URL."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return
    token = _signer("password-reset").dumps({"user": user.id, "seal": _password_seal(user)})
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    jobs.enqueue_email(user.email, gettext("Choose a new password"), gettext(
        "Hello %(name)s,\n\nTo choose a new password for the participatory budget, open this "
        "link within %(hours)d hour(s):\n\n%(link)s\n\nIf you did not ask for it, ignore "
        "this message: your password stays as it is.", name=user.display_name, hours=hours,
        link=link_for(token)))


@use_case
def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; every session of the account ends. Raises
    DomainError when the link is forged, expired or already used, or the password too short."""
    user, data = _read_link(token, "password-reset", current_app.config["PASSWORD_RESET_HOURS"])
    if user is None or data.get("seal") != _password_seal(user):
        raise DomainError("This link has already been used. Ask for a new one.")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise DomainError("The password must have at least %(count)d characters.",
                          field="password", count=MIN_PASSWORD_LENGTH)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    return user


def send_email_verification(user: User, link_for) -> None:
    """Email `user` a link that confirms their address (link_for(token) -> absolute URL). The
    link names the address: it is spent once confirmed, and void if the address changes."""
    token = _signer("email-verification").dumps({"user": user.id, "email": user.email})
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    jobs.enqueue_email(user.email, gettext("Confirm your email address"), gettext(
        "Hello %(name)s,\n\nTo confirm your email address for the participatory budget, open "
        "this link within %(hours)d hours:\n\n%(link)s\n\nYou need a confirmed address to "
        "vote and to submit proposals. If you did not create an account, ignore this message.",
        name=user.display_name, hours=hours, link=link_for(token)))


@use_case
def verify_email(token: str) -> User:
    """Confirm an address from its link. Raises DomainError when the link is forged, expired,
    for another address, or already used."""
    user, data = _read_link(token, "email-verification",
                            current_app.config["EMAIL_VERIFICATION_HOURS"])
    if user is None or data.get("email") != user.email:
        raise DomainError("This link is invalid or has expired. Ask for a new one.")
    if user.email_verified:
        raise DomainError("This link has already been used: your email address is confirmed.")
    user.email_verified_at = utcnow()
    return user


@use_case
def set_notifications(user: User, results: bool, delivery: bool) -> None:
    """Opt in to (or out of) an email when a cycle's results are published (`results`), and
    when a winning project of one's commune changes stage (`delivery`: on the account, never
    on a ballot, so that it says nothing of how one voted)."""
    user.notify_results = results
    user.notify_delivery = delivery
    follows.set_delivery_follows(user)


@use_case
def opt_in_delivery_news(user: User) -> None:
    """Opt in to delivery news, from the vote's confirmation: recorded on the account, in its
    own transaction after the ballot's, never on the ballot (which names no one). Turned off
    on the account page only."""
    user.notify_delivery = True
    follows.set_delivery_follows(user)


UNSUBSCRIBE_LINK_HOURS = 366 * 24  # an email of last year's results still works


def unsubscribe_token(user: User) -> str:
    """The token of the link, in every results email, that stops them (List-Unsubscribe):
    it can do nothing else, so it lasts a year and is used any number of times."""
    return _signer("results-unsubscribe").dumps({"user": user.id, "email": user.email})


@use_case
def unsubscribe_from_results(token: str) -> User:
    """Stop the results emails of the address the link was sent to. Raises DomainError when
    the link is forged, mangled, too old, or the account's address changed since."""
    user, data = _read_link(token, "results-unsubscribe", UNSUBSCRIBE_LINK_HOURS)
    if user is None or data.get("email") != user.email:
        raise DomainError("This link is invalid or has expired. Ask for a new one.")
    user.notify_results = False
    return user


@use_case
def sign_out_everywhere(user: User) -> None:
    """Revoke every session of this user, on every device (the cookies' ids go stale)."""
    user.session_version += 1


@use_case
def authenticate(email: str, password: str) -> User | None:
    """The account with this email and password, or None. A password hash older than today's
    Argon2id parameters is replaced on the way (one commit): the account's sessions stay, a
    reset link sent earlier is spent (its seal follows the hash)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        hash_password(password)  # same work as a real check: timing must not reveal accounts
        return None
    if not password_matches(user, password):
        return None
    return user
