"""The kiosk's screens: locked (type the desk's code), the ballot, its review, "A voté".
They show the station's name and nothing else of the platform (templates/kiosk/layout.html),
and answer only a device that is a live kiosk (device.py); anyone else gets 403."""
from __future__ import annotations

import functools

from flask import g, make_response, redirect, render_template, request, url_for

from budget.blueprints.domain_errors import attach_to_form, message_of
from budget.blueprints.kiosk.blueprint import bp
from budget.blueprints.kiosk.device import current_kiosk, kiosk_key
from budget.blueprints.kiosk.forms import KioskBallotForm, UnlockForm
from budget.blueprints.vote.forms import points_sent
from budget.domain.ballot_rules import read_points
from budget.domain.errors import DomainError, WrongPhase
from budget.extensions import limiter
from budget.links import public_url
from budget.services import kiosk_voting, voting
from budget.services.kiosk_voting import KioskLocked

LAYOUT = "kiosk/layout.html"


def kiosk_only(view):
    """Let in a live kiosk (g.kiosk) while its cycle's vote is open; refuse anything else."""
    @functools.wraps(view)
    def run(*args, **kwargs):
        g.kiosk = current_kiosk()
        if g.kiosk is None:
            return render_template("kiosk/not_a_kiosk.html"), 403
        try:
            kiosk_voting.check_open(g.kiosk.station.cycle)
        except WrongPhase as error:
            return render_template("kiosk/closed.html", reason=message_of(error)), 409
        return view(*args, **kwargs)
    return run


def _locked(form=None, status=200):
    response = make_response(render_template("kiosk/locked.html", form=form or UnlockForm(
        formdata=None)), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/kiosk")
@kiosk_only
def screen():
    if kiosk_voting.held_unlock(g.kiosk) is not None:
        return redirect(url_for("kiosk.ballot"))
    return _locked()


@bp.route("/kiosk/unlock", methods=["POST"])
@kiosk_only
@limiter.limit("10 per minute", key_func=kiosk_key)  # guessing codes takes many tries
def unlock():
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            kiosk_voting.unlock(g.kiosk, form.code.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect(url_for("kiosk.ballot"))
    return _locked(form, 422)


def _page(template: str, status: int = 200, unlocked: bool = True, **context):
    """A page of the unlocked kiosk (`unlocked`: its idle lock and its button to leave): the
    vote blueprint's template in the kiosk's layout."""
    station = g.kiosk.station
    response = make_response(render_template(
        template, layout=LAYOUT, kiosk=unlocked, cycle=station.cycle,
        commune_name=station.commune.name, review_url=url_for("kiosk.review"),
        confirm_url=url_for("kiosk.confirm"), **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _ballot_page(form, held, status=200):
    station = g.kiosk.station
    # Each voter's own random order, as online: from their unlock, not from an account.
    sections = voting.ballot_sections(station.cycle, station.commune_id, -held.id)
    typed = dict(points_sent(request.form)) if request.method == "POST" else {}
    return _page("vote/ballot.html", status, form=form, sections=sections,
                 chosen=set(form.project.data or ()), typed=typed,
                 vote_format=station.cycle.ballot_format)


def _selection(form):
    if g.kiosk.station.cycle.ballot_format.takes_points:
        return points_sent(request.form)
    return form.project.data or []


@bp.route("/kiosk/ballot")
@kiosk_only
def ballot():
    try:
        held = kiosk_voting.keep_awake(g.kiosk)
    except KioskLocked:
        return redirect(url_for("kiosk.screen"))
    return _ballot_page(KioskBallotForm(formdata=None), held)


@bp.route("/kiosk/review", methods=["POST"])
@kiosk_only
def review():
    # The voter is at it: the kiosk stays open (not on a refusal, which changes nothing).
    held = kiosk_voting.held_unlock(g.kiosk)
    if held is None:
        return redirect(url_for("kiosk.screen"))
    form = KioskBallotForm()
    if form.validate_on_submit() and request.form.get("change"):
        return _ballot_page(form, kiosk_voting.keep_awake(g.kiosk))
    if form.validate_on_submit():
        cycle, station = g.kiosk.station.cycle, g.kiosk.station
        try:
            selected = _selection(form)
            kiosk_voting.check(g.kiosk, selected)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            try:
                kiosk_voting.keep_awake(g.kiosk)
            except KioskLocked:  # it lapsed this very moment
                return redirect(url_for("kiosk.screen"))
            points = read_points(selected) if cycle.ballot_format.takes_points else {}
            chosen = {pid for pid, given in points.items() if given} if points else set(selected)
            sections = voting.review_sections(
                voting.ballot_sections(cycle, station.commune_id, -held.id), chosen, points)
            return _page("vote/review.html", form=form, sections=sections, chosen=chosen,
                         points=points)
    return _ballot_page(form, held, 422)


@bp.route("/kiosk/confirm", methods=["POST"])
@kiosk_only
def confirm():
    form = KioskBallotForm()
    if form.validate_on_submit():
        try:
            code = kiosk_voting.cast(g.kiosk, _selection(form))
        except KioskLocked:
            return redirect(url_for("kiosk.screen"))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            # "A voté", and the receipt code only on the printed slip (print-only markup),
            # never on the screen the next voter sees; kept nowhere.
            return _page("kiosk/voted.html", unlocked=False,
                         code=code if form.print_receipt.data else None,
                         check_url=public_url("results.check_receipt",
                                              cycle_id=g.kiosk.station.cycle_id))
    held = kiosk_voting.held_unlock(g.kiosk)
    if held is None:
        return redirect(url_for("kiosk.screen"))
    return _ballot_page(form, held, 422)


@bp.route("/kiosk/lock", methods=["POST"])
@kiosk_only
def lock():
    """The voter leaves, or the idle timer (static/kiosk.js) fires: the ballot is discarded."""
    kiosk_voting.lock(g.kiosk)
    return redirect(url_for("kiosk.screen"))


@bp.route("/kiosk/awake", methods=["POST"])
@kiosk_only
def awake():
    """static/kiosk.js: the voter is still at it (they type or tap): keep the kiosk open."""
    try:
        kiosk_voting.keep_awake(g.kiosk)
    except KioskLocked:
        return "", 409
    return "", 204
