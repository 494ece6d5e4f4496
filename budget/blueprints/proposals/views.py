from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.proposals import bp
from budget.blueprints.proposals.forms import ConfirmForm, ImageForm, ProposalForm
from budget.domain.errors import DomainError
from budget.domain.proposals import Status
from budget.models import Proposal
from budget.services import proposals
from budget.services.policy import Action
from budget.services.proposals import ProposalDraft
from budget.templating import envelope_label


def proposal_form_for(cycle, **kwargs) -> ProposalForm:
    form = ProposalForm(**kwargs)
    form.envelope_id.choices = [SelectChoice(e.id, envelope_label(e))
                                for e in proposals.envelopes_open_to(current_user, cycle)]
    return form


def _draft(form: ProposalForm) -> ProposalDraft:
    def degrees(field):
        return float(field.data) if field.data is not None else None

    return ProposalDraft(form.title.data, form.description.data, form.estimated_cost.data,
                         form.envelope_id.data, degrees(form.latitude), degrees(form.longitude))


@bp.route("/cycles/<int:cycle_id>/proposals/new", methods=["GET", "POST"])
@login_required
def new(cycle_id: int):
    # 403 for someone who lives outside the cycle's territory
    cycle = subjects.cycle(cycle_id, Action.SUBMIT_PROPOSAL, any_phase=True)
    form = proposal_form_for(cycle)
    if form.validate_on_submit():
        try:
            proposal = proposals.submit(current_user, cycle, _draft(form))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your proposal has been submitted. Staff will review it."), "success")
            return redirect(url_for("public.proposal_page", proposal_id=proposal.id))
    status = 422 if form.errors else 200
    return render_template("proposals/form.html", form=form, cycle=cycle), status


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = subjects.own_proposal(proposal_id)
    if request.method == "GET" and proposal.status != Status.SUBMITTED:
        flash(_("This proposal is being reviewed and can no longer be edited."), "info")
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
