"""Polling stations, for staff: add one to a commune, run its desk (check a voter, hand them
an unlock), turn this device into one of its kiosks, revoke a kiosk, print its report."""
from __future__ import annotations

from flask import abort, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.kiosk import device
from budget.blueprints.kiosk.blueprint import bp
from budget.blueprints.kiosk.forms import DeskForm, RevokeForm, StationForm
from budget.domain.errors import DomainError
from budget.domain.numbers import whole_number
from budget.extensions import db
from budget.models import Commune
from budget.services import kiosk_desk, kiosks, station_report
from budget.services.policy import Action, concerns


def station_or_403(cycle_id: int, station_id: int):
    cycle = subjects.cycle(cycle_id)
    station = kiosks.station_of(cycle, station_id) or abort(404)
    if not concerns(current_user, Action.RUN_POLLING_STATION, cycle, station):
        abort(403)
    return station


@bp.route("/staff/cycles/<int:cycle_id>/stations", methods=["GET", "POST"])
@login_required
def stations(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    form = StationForm()
    subjects.communes_offered(cycle, Action.RUN_POLLING_STATION, form.commune)
    if form.validate_on_submit():
        try:
            station = kiosks.add_station(current_user, cycle,
                                         db.session.get(Commune, form.commune.data),
                                         form.name.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect(url_for("kiosk.station", cycle_id=cycle.id, station_id=station.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("kiosk/stations.html", cycle=cycle, form=form,
                           stations=kiosks.stations(current_user, cycle)), status


def _station_page(station, desk=None, revoke=None, status=200):
    return render_template("kiosk/station.html", station=station, cycle=station.cycle,
                           desk=desk or DeskForm(formdata=None),
                           revoke=revoke or RevokeForm(formdata=None),
                           proof=station.cycle.eligibility_rules.proof.value), status


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>")
@login_required
def station(cycle_id: int, station_id: int):
    return _station_page(station_or_403(cycle_id, station_id))


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>/desk", methods=["POST"])
@login_required
def desk(cycle_id: int, station_id: int):
    """The voter checked and recorded: their unlock code and its QR code, shown once to the
    staff member (in this answer only: it is stored hashed), to hand to the voter."""
    station = station_or_403(cycle_id, station_id)
    form = DeskForm()
    if form.validate_on_submit():
        try:
            code = kiosk_desk.issue_unlock(current_user, station,
                                           identifier=form.identifier.data or "",
                                           birth_date=form.birth_date.data,
                                           code=form.code.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return unlock_issued_page(station, code)
    return _station_page(station, desk=form, status=422)


def unlock_issued_page(station, code: str):
    """The unlock code for the voter (and its QR), never kept by a cache."""
    response = make_response(render_template(
        "kiosk/unlock_issued.html", station=station, cycle=station.cycle, code=code,
        qr=kiosk_desk.qr_svg(code), lifetime=kiosk_desk.UNLOCK_LIFETIME))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>/open", methods=["POST"])
@login_required
def open_kiosk(cycle_id: int, station_id: int):
    """This device becomes a kiosk of the station: its staff member is signed out of it."""
    station = station_or_403(cycle_id, station_id)
    form = RevokeForm()  # a form with no field but its CSRF token
    if not form.validate_on_submit():
        return _station_page(station, status=422)
    try:
        token = kiosks.open_kiosk(current_user, station)
    except DomainError as error:
        attach_to_form(form, error)
        return _station_page(station, revoke=form, status=409)
    logout_user()
    session.clear()
    response = redirect(url_for("kiosk.screen"))
    device.set_cookie(response, token, station.cycle.vote_end)
    return response


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>/revoke", methods=["POST"])
@login_required
def revoke_kiosk(cycle_id: int, station_id: int):
    station = station_or_403(cycle_id, station_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            kiosks.revoke_kiosk(current_user, station, whole_number(form.kiosk.data or ""))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect(url_for("kiosk.station", cycle_id=cycle_id, station_id=station.id))
    return _station_page(station, revoke=form, status=422)


@bp.route("/staff/cycles/<int:cycle_id>/stations/<int:station_id>/report")
@login_required
def report(cycle_id: int, station_id: int):
    """The station's report, to print at closing (read in any phase)."""
    station = station_or_403(cycle_id, station_id)
    return render_template("kiosk/report.html", station=station, cycle=station.cycle,
                           report=station_report.report(station))
