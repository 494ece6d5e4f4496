"""/admin/catalogue: importing other territories' projects into the catalogue."""
from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from budget.blueprints.admin.blueprint import bp
from budget.blueprints.catalogue.forms import CatalogueImportForm
from budget.blueprints.catalogue.wording import refusal
from budget.domain.catalogue_files import FileRefused
from budget.services import catalogue_import


@bp.route("/catalogue", methods=["GET", "POST"])
def catalogue_import_page():
    form = CatalogueImportForm()
    if form.validate_on_submit():
        try:
            added = catalogue_import.import_file(current_user, form.file.data.filename,
                                                 form.file.data.read())
        except FileRefused as error:
            form.file.errors = [*form.file.errors, refusal(error)]
        else:
            flash(ngettext("%(num)d project added to the catalogue.",
                           "%(num)d projects added to the catalogue.", added), "success")
            return redirect(url_for("admin.catalogue_import_page"))
    return render_template("admin/catalogue_import.html", form=form), \
        422 if form.errors else 200
