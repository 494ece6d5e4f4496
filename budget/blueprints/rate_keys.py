"""What each rate limit counts by: a person's account, a submitted address, or both with the
client's address. The limits themselves sit on the views, next to what they protect."""
from flask import request
from flask_limiter.util import get_remote_address
from flask_login import current_user


def account_key() -> str:
    """Per account, not per session nor per address: signing out everywhere (which changes
    the session id, get_id()) must not give a fresh budget of guesses or emails, and a
    polling station's kiosk serves many voters from one address."""
    return f"user:{current_user.id}"


def submitted_email_key() -> str:
    """The account a form names, signed in or not (sign-in, forgotten password)."""
    return "email:" + request.form.get("email", "").strip().lower()


def address_and_email_key() -> str:
    """One client address guessing one account's password."""
    return f"{get_remote_address()}|{submitted_email_key()}"


def failed(response) -> bool:
    """For limits that count only refusals (a wrong password answers 422)."""
    return response.status_code == 422
