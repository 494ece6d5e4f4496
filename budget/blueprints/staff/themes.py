"""Staff define a cycle's themes (services/themes.py): list, add, edit, delete."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.theme_forms import ThemeForm
from budget.domain.errors import DomainError
from budget.domain.themes import DEFAULT_ICON
from budget.services import themes
from budget.services.policy import Action


def _draft(form: ThemeForm) -> themes.ThemeDraft:
    return themes.ThemeDraft(form.name.data or "", form.description.data or "", form.icon.data)


@bp.route("/cycles/<int:cycle_id>/themes", methods=["GET", "POST"])
def cycle_themes(cycle_id: int):
    """The cycle's themes, and the form to add one."""
    cycle = subjects.cycle(cycle_id, Action.MANAGE_THEMES)
    form = ThemeForm(icon=DEFAULT_ICON)
    if form.validate_on_submit():
        try:
            theme = themes.create_theme(current_user, cycle, _draft(form))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The theme “%(name)s” is added.", name=theme.name), "success")
            return redirect(url_for("staff.cycle_themes", cycle_id=cycle.id))
    return render_template("staff/themes.html", cycle=cycle, form=form,
                           themes=themes.themes_of(cycle), confirm_form=ConfirmForm()), \
        422 if form.errors else 200


def _theme(cycle_id: int, theme_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_THEMES)
    return cycle, themes.theme_of(cycle, theme_id) or abort(404)


@bp.route("/cycles/<int:cycle_id>/themes/<int:theme_id>", methods=["GET", "POST"])
def edit_theme(cycle_id: int, theme_id: int):
    cycle, theme = _theme(cycle_id, theme_id)
    form = ThemeForm(obj=theme if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            themes.update_theme(current_user, theme, _draft(form))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The theme “%(name)s” is saved.", name=theme.name), "success")
            return redirect(url_for("staff.cycle_themes", cycle_id=cycle.id))
    return render_template("staff/theme_form.html", cycle=cycle, theme=theme, form=form), \
        422 if form.errors else 200


@bp.route("/cycles/<int:cycle_id>/themes/<int:theme_id>/delete", methods=["POST"])
def delete_theme(cycle_id: int, theme_id: int):
    cycle, theme = _theme(cycle_id, theme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = theme.name
    try:
        themes.delete_theme(current_user, theme)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The theme “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("staff.cycle_themes", cycle_id=cycle.id))
