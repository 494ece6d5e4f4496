"""Signing in, once the password (and the second factor, if any) is right: shared by the
sign-in view and the second step."""
from flask import session
from flask_login import login_user


def start_session(user) -> None:
    """A fresh session at sign-in: nothing from before (a planted session) carries over, but
    the language chosen."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
