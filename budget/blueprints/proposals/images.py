"""Photos of a proposal: its author adds and removes them on the edit page; whoever may see
the proposal sees them."""
from flask import abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.proposals.blueprint import bp
from budget.blueprints.proposals.forms import ConfirmForm, ImageForm
from budget.blueprints.proposals.views import proposal_form_for, edit_page
from budget.blueprints.rate_keys import account_key
from budget.domain.errors import DomainError
from budget.extensions import db, limiter
from budget.models import ProposalImage
from budget.services import images


@bp.route("/proposals/<int:proposal_id>/photos", methods=["POST"])
@login_required
# Each upload is decoded and re-encoded (about 50 MB and a second of CPU at worst).
@limiter.limit("30 per minute")
@limiter.limit("10 per minute;60 per day", key_func=account_key)
def add_photo(proposal_id: int):
    proposal = subjects.own_proposal(proposal_id)
    form = ImageForm()
    if form.validate_on_submit():
        # One byte more than allowed is enough for the service to refuse a file too large.
        data = form.photo.data.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
        try:
            images.add_image(current_user, proposal, data, form.alt_text.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The photo is added."), "success")
            return redirect(url_for("proposals.edit", proposal_id=proposal.id,
                                    _anchor="photos"))
    proposal_form = proposal_form_for(proposal.cycle, obj=proposal, formdata=None)
    return edit_page(proposal, proposal_form, form), 422


@bp.route("/proposals/photos/<int:image_id>/delete", methods=["POST"])
@login_required
def delete_photo(image_id: int):
    image = db.session.get(ProposalImage, image_id) or abort(404)
    proposal = subjects.own_proposal(image.proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        images.remove_image(current_user, image)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The photo is removed."), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id, _anchor="photos"))


@bp.route("/proposals/<int:proposal_id>/photos/<token>")
@bp.route("/proposals/<int:proposal_id>/photos/<token>/thumbnail", endpoint="thumbnail",
          defaults={"thumbnail": True})
def photo(proposal_id: int, token: str, thumbnail: bool = False):
    proposal = subjects.readable_proposal(proposal_id)
    image = db.session.scalar(select(ProposalImage).where(
        ProposalImage.proposal_id == proposal.id, ProposalImage.token == token)) or abort(404)
    path = images.image_path(image, thumbnail)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg")
