from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.catalogue import panel
from budget.blueprints.numbers import bounded_int
from budget.blueprints.proposals import reuse
from budget.blueprints.proposals.blueprint import bp
from budget.blueprints.proposals.forms import (ConfirmForm, ImageForm, ProposalForm,
                                              SubmissionForm)
from budget.blueprints.rate_keys import account_key
from budget.domain.errors import DomainError
from budget.domain.proposals import EDIT_REFUSALS, Status
from budget.extensions import limiter
from budget.models import Proposal
from budget.services import images, proposals, themes
from budget.services.policy import Action
from budget.services.proposals import ProposalDraft
from budget.templating import envelope_label


def proposal_form_for(cycle, form_class=ProposalForm, **kwargs) -> ProposalForm:
    form = form_class(**kwargs)
    form.envelope_id.choices = [SelectChoice(e.id, envelope_label(e))
                                for e in proposals.envelopes_open_to(current_user, cycle)]
    cycle_themes = themes.themes_of(cycle)
    form.theme_ids.choices = [SelectChoice(theme.id, theme.name) for theme in cycle_themes]
    form.theme_icons = {theme.id: theme.icon for theme in cycle_themes}
    if request.method == "GET" and kwargs.get("obj") is not None:
        form.theme_ids.data = [theme.id for theme in kwargs["obj"].themes]
    return form


def _draft(form: ProposalForm) -> ProposalDraft:
    def degrees(field):
        return float(field.data) if field.data is not None else None

    return ProposalDraft(form.title.data, form.description.data, form.estimated_cost.data,
                         form.envelope_id.data, degrees(form.latitude), degrees(form.longitude),
                         tuple(form.theme_ids.data or ()),
                         getattr(getattr(form, "inspired_by", None), "data", None))


@bp.route("/cycles/<int:cycle_id>/proposals/new", methods=["GET", "POST"])
@login_required
# A photo sent with it is decoded and re-encoded, as on the edit page.
@limiter.limit("30 per minute", methods=["POST"])
@limiter.limit("10 per minute;60 per day", methods=["POST"], key_func=account_key)
def new(cycle_id: int):
    # 403 for someone who lives outside the cycle's territory
    cycle = subjects.cycle(cycle_id, Action.SUBMIT_PROPOSAL, any_phase=True)
    form = proposal_form_for(cycle, SubmissionForm)
    origin = reuse.prefill(form, request.args.get("from_entry", type=bounded_int))
    if form.validate_on_submit():
        try:
            proposal = proposals.submit(current_user, cycle, _draft(form), _sent_photo(form))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your proposal has been submitted. Staff will review it."), "success")
            return redirect(url_for("public.proposal_page", proposal_id=proposal.id))
    if form.errors and form.photo.data and not form.photo.errors:
        # Browsers never fill a file input back in: say so, rather than let it be lost.
        form.photo.errors = [*form.photo.errors, _("Choose your photo again: for your "
                                                   "security, the browser does not keep it.")]
    status = 422 if form.errors else 200
    return render_template("proposals/form.html", form=form, cycle=cycle, origin=origin,
                           similar=panel.similar_panel(form)), status


def _sent_photo(form: SubmissionForm) -> images.PreparedPhoto | None:
    """The photo sent with a new proposal, checked and re-encoded; None if there is none.
    Raises DomainError (field "photo" or "alt_text")."""
    if not form.photo.data:
        if form.alt_text.data:
            raise DomainError("Choose the photo this description is for, or leave the "
                              "description empty.", field="photo")
        return None
    # One byte more than allowed is enough for the service to refuse a file too large.
    data = form.photo.data.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
    return images.prepare(data, form.alt_text.data or "")


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = subjects.own_proposal(proposal_id)
    if request.method == "GET" and proposal.status != Status.SUBMITTED:
        flash(_(EDIT_REFUSALS[proposal.status]), "info")
        return redirect(url_for("public.proposal_page", proposal_id=proposal.id))
    form = proposal_form_for(proposal.cycle, obj=proposal)
    if form.validate_on_submit():
        try:
            proposals.update(current_user, proposal, _draft(form))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("public.proposal_page", proposal_id=proposal.id))
    return edit_page(proposal, form), 422 if form.errors else 200


def edit_page(proposal: Proposal, form: ProposalForm, image_form: ImageForm | None = None):
    """The edit form, with the proposal's photos and the form to add one."""
    return render_template("proposals/form.html", form=form, cycle=proposal.cycle,
                           proposal=proposal, image_form=image_form or ImageForm(formdata=None),
                           confirm_form=ConfirmForm())


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id: int):
    proposal = subjects.proposal(proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        proposals.withdraw(current_user, proposal)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Your proposal has been withdrawn."), "success")
    return redirect(url_for("public.proposal_page", proposal_id=proposal.id))


@bp.route("/cycles/<int:cycle_id>/my-proposals")
@login_required
def mine(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    return render_template("proposals/mine.html", cycle=cycle,
                           proposals=proposals.proposals_by(current_user, cycle))
