"""Staff pages on who may vote: the cycle's rules, each commune's census list and access codes."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints.domain_errors import attach_to_form, flash_error, message_of
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.eligibility_forms import CensusForm, CodesForm, RulesForm
from budget.domain.errors import DomainError, InvalidSetup
from budget.formatting import plural
from budget.services import access_codes, census, eligibility
from budget.blueprints import subjects
from budget.services.policy import Action, can
from budget.links import public_url

MAX_PROBLEMS_SHOWN = 50


def _page(cycle, rules_form=None, problems=None, status=200):
    communes = [c for c in census.voting_communes(cycle)
                if can(current_user, Action.MANAGE_ELIGIBILITY, cycle, c)]
    if rules_form is None:
        rules_form = RulesForm(formdata=None)
        rules_form.show(cycle.eligibility_rules)
    return render_template(
        "staff/eligibility.html", cycle=cycle, rules=cycle.eligibility_rules,
        rules_form=rules_form, communes=communes, census_sizes=census.census_sizes(cycle),
        code_counts=access_codes.code_counts(cycle), census_form=CensusForm(formdata=None),
        codes_form=CodesForm(formdata=None), confirm_form=ConfirmForm(),
        problems=problems or {}), status


@bp.route("/cycles/<int:cycle_id>/eligibility", methods=["GET", "POST"])
def eligibility_setup(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    if request.method == "GET":
        return _page(cycle)
    form = RulesForm()
    if form.validate_on_submit():
        try:
            eligibility.configure(current_user, cycle, form.rules())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The rules on who may vote are saved."), "success")
            return redirect(url_for("staff.eligibility_setup", cycle_id=cycle.id))
    return _page(cycle, rules_form=form, status=422)


@bp.route("/cycles/<int:cycle_id>/communes/<int:commune_id>/census", methods=["POST"])
def upload_census(cycle_id: int, commune_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    commune = subjects.commune(cycle, commune_id, Action.MANAGE_ELIGIBILITY)
    form = CensusForm()
    if not form.validate_on_submit():
        return _page(cycle, problems={commune.id: form.census_file.errors or [
            _("The form has expired: send the file again.")]}, status=422)
    try:
        report = census.import_census(current_user, cycle, commune, form.census_file.data.read())
    except InvalidSetup as error:
        shown = [message_of(p) for p in error.problems[:MAX_PROBLEMS_SHOWN]]
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(plural("… and %(num)d more problem.", "… and %(num)d more problems.",
                                len(error.problems) - MAX_PROBLEMS_SHOWN))
        return _page(cycle, problems={commune.id: shown}, status=422)
    except DomainError as error:
        return _page(cycle, problems={commune.id: [message_of(error)]}, status=422)
    flash(_("%(commune)s: %(added)s people added to the list, %(already)s already on it, "
            "%(repeats)s repeated lines ignored.", commune=commune.name, added=report.added,
            already=report.already_listed, repeats=report.repeats), "success")
    return redirect(url_for("staff.eligibility_setup", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>/communes/<int:commune_id>/codes", methods=["POST"])
def generate_codes(cycle_id: int, commune_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    commune = subjects.commune(cycle, commune_id, Action.MANAGE_ELIGIBILITY)
    form = CodesForm()
    if not form.validate_on_submit():
        return _page(cycle, problems={commune.id: form.quantity.errors or [
            _("The form has expired: try again.")]}, status=422)
    try:
        codes = access_codes.generate_codes(current_user, cycle, commune, form.quantity.data)
    except DomainError as error:
        return _page(cycle, problems={commune.id: [message_of(error)]}, status=422)
    from budget.services.exports.access_letters import codes_zip  # fpdf, only here

    archive = codes_zip(cycle, commune, codes, public_url("vote.ballot", cycle_id=cycle.id))
    name = f"codes-{cycle.id}-{commune.insee_code}.zip"
    return archive, 200, {"Content-Type": "application/zip",
                          "Content-Disposition": f'attachment; filename="{name}"'}


@bp.route("/cycles/<int:cycle_id>/communes/<int:commune_id>/codes/withdraw", methods=["POST"])
def withdraw_codes(cycle_id: int, commune_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    commune = subjects.commune(cycle, commune_id, Action.MANAGE_ELIGIBILITY)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdrawn = access_codes.withdraw_unused_codes(current_user, cycle, commune)
    except DomainError as error:
        flash_error(error)
    else:
        flash(plural("%(commune)s: %(num)d unused code withdrawn.",
                     "%(commune)s: %(num)d unused codes withdrawn.", withdrawn,
                     commune=commune.name), "success")
    return redirect(url_for("staff.eligibility_setup", cycle_id=cycle.id))
