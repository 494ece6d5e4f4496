"""Paper ballots: batches per commune, two independent typings, comparison, validation."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.pagination import paginate
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints import subjects
from budget.blueprints.staff.paper_forms import BatchForm, PaperBallotForm
from budget.blueprints.vote.forms import points_sent
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.formatting import plural
from budget.models import Commune
from budget.services import paper, voting
from budget.services.policy import Action


@bp.route("/cycles/<int:cycle_id>/paper", methods=["GET", "POST"])
def paper_batches(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    form = BatchForm()
    communes = paper.communes_open_to(current_user, cycle)
    form.commune.choices = [(c.id, c.name) for c in communes]
    if form.validate_on_submit():
        try:
            batch = paper.create_batch(current_user, cycle,
                                       db.session.get(Commune, form.commune.data),
                                       form.label.data, form.declared_count.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The batch “%(label)s” is created.", label=batch.label), "success")
            return redirect(url_for("staff.paper_batch", batch_id=batch.id))
    status = 422 if form.errors else 200
    return render_template("staff/paper_batches.html", cycle=cycle, form=form,
                           batches=paginate(paper.batches(current_user, cycle)),
                           accepting=paper.accepting(current_user, cycle, communes)), status


@bp.route("/paper/<int:batch_id>")
def paper_batch(batch_id: int):
    batch = subjects.paper_batch(batch_id)
    cycle = paper.batch_cycle(batch)
    mine = paper.entry_of(current_user, batch)
    return render_template("staff/paper_batch.html", batch=batch, cycle=cycle, mine=mine,
                           typed=len(mine.ballots) if mine else 0,
                           differences=paper.differences(batch), form=ConfirmForm())


def _batch_action(batch_id: int, action, success):
    """Run a button's service on the batch; `success(result)` is the message shown."""
    batch = subjects.paper_batch(batch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        done = action(current_user, batch)
    except DomainError as error:
        flash_error(error)
    else:
        flash(success(done), "success")
    return redirect(url_for("staff.paper_batch", batch_id=batch_id))


@bp.route("/paper/<int:batch_id>/start", methods=["POST"])
def start_paper_entry(batch_id: int):
    return _batch_action(batch_id, paper.start_entry, lambda _entry: _(
        "Your entry is started: type the ballots one by one."))


@bp.route("/paper/<int:batch_id>/validate", methods=["POST"])
def validate_paper_batch(batch_id: int):
    return _batch_action(batch_id, paper.validate, lambda count: plural(
        "The batch is validated: %(num)d valid ballot joins the count.",
        "The batch is validated: %(num)d valid ballots join the count.", count))


@bp.route("/paper/<int:batch_id>/ballots/<int:position>", methods=["GET", "POST"])
def paper_ballot(batch_id: int, position: int):
    batch = subjects.paper_batch(batch_id)
    cycle = paper.batch_cycle(batch)
    if paper.entry_of(current_user, batch) is None or not 1 <= position <= batch.declared_count:
        abort(404)
    form = PaperBallotForm()
    typed = {}
    if request.method == "GET":
        form = PaperBallotForm(formdata=None)
        stored = paper.typed_ballot(current_user, batch, position)
        if stored is not None:
            form.kind.data = stored.kind
            form.project.data = [pid for pid, _ in stored.choices]
            typed = {str(pid): str(points) for pid, points in stored.choices if points}
    elif form.validate_on_submit():
        selected = (points_sent(request.form) if cycle.ballot_format.takes_points
                    else form.project.data or [])
        try:
            paper.enter_ballot(current_user, batch, position, form.kind.data, selected)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            if position < batch.declared_count:
                return redirect(url_for("staff.paper_ballot", batch_id=batch.id,
                                        position=position + 1))
            flash(_("Every ballot of the batch is typed."), "success")
            return redirect(url_for("staff.paper_batch", batch_id=batch.id))
    if request.method == "POST":
        typed = dict(points_sent(request.form))
    return render_template(
        "staff/paper_ballot.html", batch=batch, cycle=cycle, position=position, form=form,
        sections=voting.ballot_sections(cycle, batch.commune_id),
        chosen=set(form.project.data or ()), typed=typed, vote_format=cycle.ballot_format,
    ), 422 if form.errors else 200


@bp.route("/paper/<int:batch_id>/compare")
def compare_paper_entries(batch_id: int):
    batch = subjects.paper_batch(batch_id)
    return render_template("staff/paper_compare.html", batch=batch,
                           cycle=paper.batch_cycle(batch), differences=paper.differences(batch),
                           can_correct=paper.entry_of(current_user, batch) is not None
                           and batch.validated_at is None)
