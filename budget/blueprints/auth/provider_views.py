"""Sign in with OpenID Connect (FranceConnect or another provider): the start, the callback,
and the two pages of a first sign-in (create an account, or link one with its password).

The start is a GET link, as Authlib's examples do: it changes nothing but the session's
pending state (a forged start costs nothing: the resident still signs in at the provider, and
the state binds the callback to this browser). A form POST would also be blocked by the
Content-Security-Policy's `form-action 'self'`, which browsers apply to the redirect to the
provider. The callback is a GET by the protocol; its CSRF protection is the `state` Authlib
checks. The two confirmation pages are ordinary forms with CSRF tokens.
"""
import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from budget.blueprints.auth import provider_client
from budget.blueprints.auth.blueprint import bp
from budget.blueprints.auth.forms import ProviderAccountForm, ProviderLinkForm
from budget.blueprints.auth.second_factor import begin_second_step
from budget.blueprints.auth.session_start import start_session
from budget.blueprints.auth.views import commune_choices
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.navigation import safe_next_url
from budget.blueprints.rate_keys import failed
from budget.domain.errors import DomainError
from budget.extensions import limiter
from budget.links import public_url
from budget.services import provider_accounts, second_factor
from budget.services.provider_accounts import VerifiedIdentity

PENDING_KEY = "provider_pending"
NEXT_KEY = "provider_next"
PENDING_SECONDS = 900


def _require_enabled() -> None:
    if not provider_client.enabled():
        abort(404)


@bp.route("/login/provider")
@limiter.limit("30 per minute")
def provider_start():
    _require_enabled()
    session[NEXT_KEY] = safe_next_url(request.args.get("next"))
    try:
        return provider_client.start(public_url("auth.provider_callback"))
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("auth.login"))


@bp.route("/login/provider/callback")
@limiter.limit("30 per minute")
def provider_callback():
    _require_enabled()
    try:
        identity, id_token = provider_client.finish()
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("auth.login"))
    user = provider_accounts.linked_account(identity.subject_hash)
    if user is not None:
        provider_accounts.record_sign_in(user, identity)
        return _sign_in(user, id_token, session.pop(NEXT_KEY, None))
    session[PENDING_KEY] = {**identity.as_session(), "id_token": id_token,
                            "since": int(time.time())}
    if provider_accounts.account_with_email(identity.email) is not None:
        return redirect(url_for("auth.provider_link"))
    return redirect(url_for("auth.provider_new"))


def _pending_email_key() -> str:
    """The account the pending identity would link to: wrong passwords for it count together
    from every browser and address, with the sign-in form's figures."""
    pending = session.get(PENDING_KEY)
    return "email:" + str((pending or {}).get("email") or "").strip().lower()


@bp.route("/login/provider/link", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("30 per hour;100 per day", methods=["POST"], key_func=_pending_email_key,
               deduct_when=failed)
def provider_link():
    identity = _pending()
    form = ProviderLinkForm()
    if form.validate_on_submit():
        try:
            user = provider_accounts.link_existing(identity, form.password.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your account is now linked to this identity."), "success")
            return _finish_first_sign_in(user)
    return render_template("auth/provider_link.html", form=form, email=identity.email), \
        422 if form.errors or form.form_errors else 200


@bp.route("/login/provider/new", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def provider_new():
    identity = _pending()
    form = ProviderAccountForm(display_name=identity.given_name)
    form.home_commune_id.choices = commune_choices()
    if form.validate_on_submit():
        try:
            user = provider_accounts.create_account(identity, form.display_name.data,
                                                    form.home_commune_id.data,
                                                    form.notify_results.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your account is created."), "success")
            return _finish_first_sign_in(user)
    return render_template("auth/provider_new.html", form=form, identity=identity), \
        422 if form.errors or form.form_errors else 200


def _pending() -> VerifiedIdentity:
    """The identity verified a moment ago in this browser; otherwise back to the sign-in."""
    _require_enabled()
    data = session.get(PENDING_KEY)
    identity = VerifiedIdentity.from_session(data)
    if identity is None or time.time() - data.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        abort(redirect(url_for("auth.login")))
    return identity


def _finish_first_sign_in(user):
    pending = session.get(PENDING_KEY) or {}
    return _sign_in(user, pending.get("id_token"), session.get(NEXT_KEY))


def _sign_in(user, id_token: str | None, next_url: str | None):
    if second_factor.needs_second_step(user):
        # Staff accounts still give their code; the provider's session is then not ended at
        # sign-out (its ID token does not survive the second step).
        return begin_second_step(user, next_url)
    start_session(user)  # a fresh session: the pending identity goes
    if id_token:
        session[provider_client.ID_TOKEN_KEY] = id_token
    return redirect(safe_next_url(next_url))



@bp.app_context_processor
def _identity_provider():
    """`identity_provider()` in templates: None when the sign-in is off, else how to draw its
    button (FranceConnect's own, or a plain one with the settings' label)."""
    def identity_provider():
        if not provider_client.enabled():
            return None
        return {"franceconnect": provider_client.is_franceconnect(),
                "label": provider_client.button_label()
                or _(provider_client.profile().label)}
    return {"identity_provider": identity_provider}
