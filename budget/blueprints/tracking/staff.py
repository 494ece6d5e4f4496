"""The staff's side of a winner's delivery: the cycle's list of tracking records, and the page
where the staff of the body that delivers a project update it and add its milestones."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.rate_keys import account_key
from budget.blueprints.tracking.blueprint import bp
from budget.blueprints.tracking.forms import MilestoneForm, TrackingForm
from budget.domain.delivery import Stage, TrackingUpdate
from budget.domain.errors import DomainError
from budget.extensions import limiter
from budget.services import tracking, tracking_read
from budget.services.policy import Action, can


@bp.route("/staff/cycles/<int:cycle_id>/tracking")
@login_required
def staff_list(cycle_id: int):
    """Every winner of the cycle, with a link to update those the person delivers."""
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE, any_phase=True)
    trackings = tracking_read.of_cycle(cycle)
    return render_template("tracking/staff_list.html", cycle=cycle, trackings=trackings,
                           mine=[t for t in trackings
                                 if can(current_user, Action.UPDATE_TRACKING, cycle, t)])


def _form_for(record, formdata=None) -> TrackingForm:
    form = TrackingForm(formdata=formdata)
    if formdata is None:
        form.stage.data = record.stage.value
        form.progress.data = record.progress
        form.committed.data, form.spent.data = record.committed_eur, record.spent_eur
        form.planned_delivery.data = record.planned_delivery
        form.delivered_on.data = record.delivered_on
        form.abandon_reason.data = record.abandon_reason or ""
        form.delivered_by.data = ("commune" if record.delivering_commune_id is not None
                                  else "intercommunality")
        form.service.data = record.service
        form.merged_into.data = record.merged_into_id
    form.merged_into.choices = [("", _("None"))] + [
        (other.id, other.proposal.title) for other in tracking_read.of_cycle(record.cycle)
        if other.id != record.id]
    if record.commune_id is None:  # an intercommunal project: the intercommunalité delivers
        form.delivered_by.choices = [c for c in form.delivered_by.choices
                                     if c.value == "intercommunality"]
    return form


def _page(record, form, milestone_form, status=200):
    return render_template("tracking/edit.html", record=record, cycle=record.cycle,
                           proposal=record.proposal, form=form, milestone_form=milestone_form,
                           delivery=tracking_read.story(record), confirm=ConfirmForm()), status


@bp.route("/staff/proposals/<int:proposal_id>/tracking", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    record = subjects.tracking(proposal_id)
    if request.method == "GET":
        return _page(record, _form_for(record), MilestoneForm())
    form = _form_for(record, request.form)
    if form.validate_on_submit():
        try:
            changed = tracking.update(current_user, record, TrackingUpdate(
                stage=Stage(form.stage.data), progress=form.progress.data,
                committed=form.committed.data, spent=form.spent.data,
                planned_delivery=form.planned_delivery.data,
                delivered_on=form.delivered_on.data,
                abandon_reason=form.abandon_reason.data or "",
                service=form.service.data or "",
                delivered_by_commune=form.delivered_by.data == "commune",
                merged_into=form.merged_into.data))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The delivery of “%(title)s” is updated.", title=record.proposal.title)
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for("tracking.edit", proposal_id=record.proposal_id))
    return _page(record, form, MilestoneForm(formdata=None), 422)


@bp.route("/staff/proposals/<int:proposal_id>/tracking/milestones", methods=["POST"])
@login_required
# A photo is decoded and re-encoded (about 50 MB and a second of CPU at worst).
@limiter.limit("30 per minute")
@limiter.limit("10 per minute;100 per day", key_func=account_key)
def add_milestone(proposal_id: int):
    record = subjects.tracking(proposal_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        photos = []
        if form.photo.data:
            data = form.photo.data.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
            photos.append(tracking.MilestonePhoto(data, form.alt_text.data or ""))
        try:
            tracking.add_milestone(current_user, record, form.text.data,
                                   form.happened_on.data, photos)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The milestone is added."), "success")
            return redirect(url_for("tracking.edit", proposal_id=record.proposal_id,
                                    _anchor="milestones"))
    return _page(record, _form_for(record), form, 422)


@bp.route("/staff/tracking/milestones/<int:milestone_id>/delete", methods=["POST"])
@login_required
def delete_milestone(milestone_id: int):
    milestone = subjects.tracking_milestone(milestone_id)
    proposal_id = milestone.tracking.proposal_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        tracking.remove_milestone(current_user, milestone)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The milestone is removed."), "success")
    return redirect(url_for("tracking.edit", proposal_id=proposal_id, _anchor="milestones"))
