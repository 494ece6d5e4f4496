"""The desk checks a voter by the identity provider (FranceConnect) on the staff device.

Staff start a sign-in for the voter (the same Authlib client as the platform's sign-in:
state, nonce and PKCE are its own); at the callback the ID token is verified and the
identity kept in the staff session, hashed, for a few minutes; the voter's session at the
provider is then ended (end_session_endpoint with the ID token as hint, as FranceConnect's
guidelines require), so the next voter at the desk cannot reuse it; back on the platform,
staff confirm (the voter's sworn statement, when the cycle asks for it) and the unlock is
issued. The staff member stays signed in as staff; no account is made or signed in for the
voter. The start and the callback are GETs, as for the sign-in (provider_views.py says why).
"""
import time

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints.auth import provider_client
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.kiosk import staff
from budget.blueprints.kiosk.blueprint import bp
from budget.blueprints.kiosk.forms import DeskIdentityForm
from budget.domain.errors import DomainError
from budget.domain.phases import Phase
from budget.extensions import limiter
from budget.links import public_url
from budget.services import desk_identity
from budget.services.provider_accounts import VerifiedIdentity

STARTED_KEY = "desk_provider_station"
CHECKED_KEY = "desk_provider_identity"
CHECKED_SECONDS = 600


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>/desk/provider")
@login_required
@limiter.limit("30 per minute")
def desk_provider_start(cycle_id: int, station_id: int):
    station = staff.station_or_403(cycle_id, station_id)
    back = redirect(url_for("kiosk.station", cycle_id=cycle_id, station_id=station_id))
    if not provider_client.enabled() or station.cycle.phase() != Phase.VOTE:
        return back
    session.pop(CHECKED_KEY, None)
    session[STARTED_KEY] = [cycle_id, station_id]
    try:
        return provider_client.start(public_url("kiosk.desk_provider_callback"))
    except DomainError as error:
        flash_error(error)
        return back


@bp.route("/staff/desk/provider/callback")
@login_required
@limiter.limit("30 per minute")
def desk_provider_callback():
    station = _started_station()
    back = redirect(url_for("kiosk.station", cycle_id=station.cycle_id, station_id=station.id))
    try:
        identity, id_token = provider_client.finish()
    except DomainError as error:
        flash_error(error)
        return back
    session[CHECKED_KEY] = {**identity.as_session(), "since": int(time.time())}
    ending = provider_client.logout_redirect(id_token,
                                             public_url("kiosk.desk_provider_checked"))
    if ending is None:
        flash(_("The voter could not be signed out of the identity provider (it does not "
                "answer): close this browser's windows before the next voter."), "error")
    return ending or redirect(url_for("kiosk.desk_provider_checked"))


@bp.route("/staff/desk/provider/checked", methods=["GET", "POST"])
@login_required
def desk_provider_checked():
    """The identity the provider verified: staff confirm, and the voter's unlock is issued."""
    station = _started_station()
    identity = _checked_identity()
    if identity is None:
        flash(_("No voter checked with the identity provider in the last few minutes: start "
                "again."), "error")
        return redirect(url_for("kiosk.station", cycle_id=station.cycle_id,
                                station_id=station.id))
    form = DeskIdentityForm()
    if form.validate_on_submit():
        try:
            code = desk_identity.issue_unlock(current_user, station, identity.subject_hash,
                                              identity.birth_date, form.sworn_residence.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            session.pop(CHECKED_KEY, None)
            return staff.unlock_issued_page(station, code)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("kiosk/desk_identity.html", station=station, cycle=station.cycle,
                           form=form, identity=identity,
                           rules=station.cycle.eligibility_rules), status


def _started_station():
    """The station whose desk started the check in this session (403 if not this person's)."""
    started = session.get(STARTED_KEY)
    if not (isinstance(started, list) and len(started) == 2
            and all(isinstance(part, int) for part in started)):
        if not current_user.is_staff:
            abort(403)
        abort(redirect(url_for("public.home")))
    return staff.station_or_403(*started)


def _checked_identity() -> VerifiedIdentity | None:
    data = session.get(CHECKED_KEY)
    identity = VerifiedIdentity.from_session(data)
    if identity is None or time.time() - data.get("since", 0) > CHECKED_SECONDS:
        return None
    return identity
