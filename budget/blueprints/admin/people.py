"""Admins manage the installation: territories (imported from a CSV file) and who works
where (roles of accounts). The blueprint lets admins only in (policy.administers)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.pagination import paginate
from budget.blueprints.admin.blueprint import bp
from budget.blueprints.admin.people_forms import (
    ROLE_LABELS,
    FindAccountForm,
    RoleForm,
    TerritoryFileForm,
)
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.formatting import plural
from budget.models import Role, User
from budget.services import accounts_admin, territories


@bp.route("/territories", methods=["GET", "POST"])
def territory_list():
    form = TerritoryFileForm()
    if form.validate_on_submit():
        try:
            report = territories.import_territories(current_user, form.file.data.read())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Imported: %(counts)s.", counts=_import_counts(report)), "success")
            return redirect(url_for("admin.territory_list"))
    return render_template("admin/territories.html", form=form,
                           territories=territories.all_territories()), \
        422 if form.errors else 200


@bp.route("/accounts")
def account_list():
    form = FindAccountForm(request.args)
    people = paginate(accounts_admin.search(form.q.data or ""))
    return render_template("admin/accounts.html", form=form, people=people,
                           role_labels=ROLE_LABELS)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def account_role(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    form = RoleForm(obj=None)
    form.workplace.choices = accounts_admin.workplace_choices()
    if request.method == "GET":
        form.role.data = person.role.value
        form.workplace.data = accounts_admin.workplace_of(person)
    if form.validate_on_submit():
        try:
            accounts_admin.set_role(current_user, person, Role(form.role.data),
                                    form.workplace.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("%(name)s is now: %(role)s.", name=person.display_name,
                    role=ROLE_LABELS[person.role]), "success")
            return redirect(url_for("admin.account_list", q=person.email))
    return render_template("admin/account_role.html", form=form, person=person), \
        422 if form.errors else 200


def _import_counts(report) -> str:
    """'1 intercommunality created, 12 communes created, 0 updated, 3 unchanged'."""
    return ", ".join([
        plural("%(num)d intercommunality created", "%(num)d intercommunalities created",
               len(report.created_epcis)),
        plural("%(num)d commune created", "%(num)d communes created", report.created_communes),
        plural("%(num)d updated", "%(num)d updated", report.updated_communes),
        plural("%(num)d unchanged", "%(num)d unchanged", report.unchanged_communes)])
