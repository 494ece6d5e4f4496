from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from budget.blueprints.auth import known_browsers, provider_client
from budget.blueprints.auth.blueprint import bp
from budget.blueprints.auth.forms import (ForgotPasswordForm, LoginForm, NewPasswordForm,
                                          NotificationsForm, RegisterForm)
from budget.blueprints.auth.second_factor import begin_second_step
from budget.blueprints.auth.session_start import start_session
from budget.blueprints.domain_errors import attach_to_form, flash_error, message_of
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.navigation import safe_next_url
from budget.blueprints.rate_keys import (account_key, address_and_email_key, failed,
                                         submitted_email_key)
from budget.domain.errors import DomainError
from budget.extensions import csrf, db, limiter
from budget.models import Commune
from budget.links import public_url
from budget.services import accounts, follows, provider_accounts, second_factor


def commune_choices():
    communes = db.session.scalars(select(Commune).order_by(Commune.name)).all()
    return [SelectChoice(0, _("Choose your commune"))] + [
        SelectChoice(c.id, f"{c.name} ({c.insee_code})") for c in communes]


# Per address, generous enough for a town-hall computer shared by many residents. Per
# address typed, on what the form sends (a confirmation or a warning email): nobody can flood
# someone's mailbox through this form.
@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per minute;200 per day", methods=["POST"])
@limiter.limit("3 per hour;10 per day", methods=["POST"], key_func=submitted_email_key,
               deduct_when=lambda response: response.status_code == 302)
def register():
    form = RegisterForm()
    form.home_commune_id.choices = commune_choices()
    if form.validate_on_submit():
        try:
            # The same answer whether the address was free or already had an account (its
            # owner gets a warning instead): the form must not reveal who has an account.
            accounts.register(form.email.data, form.password.data, form.display_name.data,
                              form.home_commune_id.data, link_for=_verification_link,
                              notify_results=form.notify_results.data,
                              help_links=accounts.SignInLinks(
                                  public_url("auth.login"),
                                  public_url("auth.forgot_password")))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("We have sent a message to %(email)s. Open the link in it to confirm your "
                    "address, then sign in with your password.",
                    email=accounts.normalize_email(form.email.data)), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
# Per address and account, tight: one machine guessing one password. Per account from every
# address, failures only and slower: a botnet's guesses add up there, while the owner's own
# sign-ins never count against them; and it spares a browser where the owner signed in before
# (known_browsers), so that such an attack cannot lock them out of it.
@limiter.limit("10 per minute;100 per hour", methods=["POST"], key_func=address_and_email_key)
@limiter.limit("30 per hour;100 per day", methods=["POST"], key_func=submitted_email_key,
               deduct_when=failed, exempt_when=known_browsers.is_known)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and second_factor.needs_second_step(user):
            return begin_second_step(user, request.args.get("next"))
        if user is not None:
            start_session(user)
            response = redirect(safe_next_url(request.args.get("next")))
            known_browsers.remember(response)
            return response
        form.form_errors.append(_("Wrong email address or password."))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # The cookie is the session: a copy taken before (a shared computer, a browser profile)
    # must open nothing afterwards, so the account's sessions are revoked on the server. The
    # price: signing out on one device signs out the others too (no per-session record).
    accounts.sign_out_everywhere(current_user)
    id_token = provider_client.take_id_token()
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You are signed out."), "success")
    return provider_client.sign_out_redirect(id_token, redirect(url_for("public.home")))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("3 per minute;20 per day", methods=["POST"], key_func=submitted_email_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.send_password_reset(form.email.data, lambda token: public_url(
            "auth.reset_password", token=token))
        flash(_("If an account uses this address, we have sent it a link to choose a new "
                "password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors or \
        form.form_errors else 200


def _verification_link(token: str) -> str:
    return public_url("auth.verify_email", token=token)


@bp.route("/account/verify/<token>")
@limiter.limit("20 per minute")
def verify_email(token: str):
    """The link mailed to a new account (a GET: it is opened from a mail client)."""
    try:
        accounts.verify_email(token)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Thank you: your email address is confirmed. You can vote and submit "
                "proposals."), "success")
    return redirect(url_for("auth.account" if current_user.is_authenticated else "auth.login"))


@bp.route("/account/verify", methods=["POST"])
@login_required
@limiter.limit("10 per minute")
@limiter.limit("3 per 10 minutes;10 per day", key_func=account_key)
def resend_verification():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if current_user.email_verified:
        flash(_("Your email address is already confirmed."), "success")
    else:
        accounts.send_email_verification(current_user, _verification_link)
        flash(_("We have sent a new link to %(email)s. It may take a few minutes to arrive; "
                "check your spam folder too.", email=current_user.email), "success")
    return redirect(url_for("auth.account"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("20 per minute")
def unsubscribe(token: str):
    """The link of the results emails (List-Unsubscribe): GET asks, POST stops them. The POST
    carries no CSRF token: mail programs send it in one click (RFC 8058), and the signed token
    is the authority (it can only stop the results emails of the address it was sent to)."""
    if request.method == "GET":
        return render_template("auth/unsubscribe.html", done=False, error=None)
    try:
        accounts.unsubscribe_from_results(token)
    except DomainError as error:
        return render_template("auth/unsubscribe.html", done=False,
                               error=message_of(error)), 400
    return render_template("auth/unsubscribe.html", done=True, error=None)


@bp.route("/account")
@login_required
def account():
    notifications = NotificationsForm(notify_results=current_user.notify_results,
                                      notify_delivery=current_user.notify_delivery)
    return render_template("auth/account.html", form=ConfirmForm(),
                           notifications=notifications,
                           followed=follows.followed_by(current_user),
                           identity=provider_accounts.identity_of(current_user))


@bp.route("/account/notifications", methods=["POST"])
@login_required
def notifications():
    form = NotificationsForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.set_notifications(current_user, results=form.notify_results.data,
                               delivery=form.notify_delivery.data)
    flash(_("Your email preferences are saved."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.sign_out_everywhere(current_user)
    id_token = provider_client.take_id_token()
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "success")
    return provider_client.sign_out_redirect(id_token, redirect(url_for("auth.login")))


@bp.before_app_request
def _keep_signed_in_users_out_of_auth_forms():
    # current_user last: reading it loads the account, which only these two pages need here.
    if request.method == "GET" and request.endpoint in ("auth.login", "auth.register") \
            and current_user.is_authenticated:
        return redirect(url_for("public.home"))
    return None
