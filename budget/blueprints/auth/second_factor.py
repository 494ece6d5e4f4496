"""The second step of a sign-in (budget/services/second_factor.py): after the right password,
the person is not signed in yet; the session only remembers who is half-way for a few minutes."""
import time

from flask import (flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from markupsafe import Markup

from budget.blueprints.auth.blueprint import bp
from budget.blueprints.auth.forms import SecondFactorForm
from budget.blueprints.auth.session_start import start_session
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.navigation import safe_next_url
from budget.domain.errors import DomainError
from budget.extensions import db, limiter
from budget.models import User
from budget.services import second_factor

PENDING_KEY = "second_factor_pending"
PENDING_SECONDS = 600
# Wrong codes (the 422 answers) per account, from any browser or address. Three codes of a
# million are valid at a time (one step either side): 20 guesses a day leave a thief who has
# the password about one chance in 16,000 a day (and the 429s are worth an alert).
WRONG_CODES_LIMIT = "5 per 15 minutes;20 per day"


def _pending_account_key() -> str:
    pending = session.get(PENDING_KEY)
    user = pending.get("user") if isinstance(pending, dict) else None
    return f"second-factor:{str(user).partition(':')[0]}" if user else "second-factor:none"


def _wrong_code(response) -> bool:
    return response.status_code == 422


limit_wrong_codes = limiter.limit(WRONG_CODES_LIMIT, methods=["POST"],
                                  key_func=_pending_account_key, deduct_when=_wrong_code)


def begin_second_step(user: User, next_url: str | None):
    """Remember who gave the right password (and the page they wanted), and send them to the
    code page, or to the set-up page when the role requires a factor they have not set up."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[PENDING_KEY] = {"user": user.get_id(), "since": int(time.time()),
                            "next": safe_next_url(next_url)}
    if second_factor.confirmed_factor(user) is None:
        return redirect(url_for("auth.second_factor_setup"))
    return redirect(url_for("auth.second_factor_code"))


def _pending_user() -> User | None:
    """Who is half-way through signing in, if they still may finish (10 minutes, same
    password: a password reset or a sign-out everywhere meanwhile ends it)."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    user_id = str(pending.get("user", "")).partition(":")[0]
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.get_id() == pending["user"] else None


def _finish(user: User):
    next_url = session[PENDING_KEY]["next"]
    start_session(user)  # clears the pending state with the rest of the session
    return redirect(next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@limit_wrong_codes
def second_factor_code():
    user = _pending_user()
    if user is None or second_factor.confirmed_factor(user) is None:
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            used_recovery = second_factor.verify(user, form.code.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            response = _finish(user)
            if used_recovery:  # after _finish, which starts a fresh session
                flash(_("You signed in with a recovery code: it cannot be used again."),
                      "warning")
            return response
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/login/setup-code", methods=["GET", "POST"])
@limit_wrong_codes
def second_factor_setup():
    user = _pending_user()
    if user is None or second_factor.confirmed_factor(user) is not None:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        secret = second_factor.begin_setup(user)
    else:  # a POST writes only when its code is right
        secret = second_factor.pending_secret(user)
        if secret is None:
            return redirect(url_for("auth.second_factor_setup"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, form.code.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            next_url = session[PENDING_KEY]["next"]
            _finish(user)
            # Shown this once: never kept by a cache, nor anywhere but in their hashes.
            response = make_response(render_template("auth/recovery_codes.html", codes=codes,
                                                     next_url=next_url))
            response.headers["Cache-Control"] = "no-store"
            return response
    # bandit B704: segno's own SVG (paths and numbers); the email is only encoded in the QR
    qr = Markup(second_factor.setup_qr_svg(user, secret))  # nosec B704
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/second_factor_setup.html", form=form, qr=qr,
                           secret=secret), status
