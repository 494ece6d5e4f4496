from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from budget.blueprints.catalogue.blueprint import bp
from budget.blueprints.catalogue.forms import CatalogueFilterForm
from budget.blueprints.pagination import paginate
from budget.domain.catalogue import BAND_LABELS, LOCAL_SOURCE, PROGRESS_LABELS, themes_of
from budget.domain.delivery import STAGE_LABELS
from budget.services import catalogue

PER_PAGE = 20


def filter_form() -> tuple[CatalogueFilterForm, catalogue.Criteria]:
    """The form from the request's arguments, and what it asks (a value it cannot read
    filters nothing, and the form says why)."""
    form = CatalogueFilterForm(request.args)
    form.theme.choices = [SelectChoice("", _("Any theme")),
                          *(SelectChoice(name, name) for name in catalogue.themes())]
    form.validate()
    def good(field):  # Optional() lets blank text through unchecked: blank filters nothing
        data = field.data.strip() if isinstance(field.data, str) else field.data
        return data if not field.errors and data not in (None, "", "None") else None
    return form, catalogue.Criteria(q=good(form.q) or "", theme=good(form.theme) or "",
                                    cost_min=good(form.cost_min), cost_max=good(form.cost_max),
                                    band=good(form.band) or "", status=good(form.status) or "")


@bp.route("/catalogue")
def index():
    form, criteria = filter_form()
    page = paginate(catalogue.search_statement(criteria), per_page=PER_PAGE)
    return render_template("catalogue/index.html", form=form, page=page,
                           rows=catalogue.with_stages(page.items), **_labels())


@bp.route("/catalogue/<int:entry_id>")
def entry(entry_id: int):
    row = catalogue.entry(entry_id) or abort(404)
    return render_template("catalogue/entry.html", row=row,
                           cycles=catalogue.cycles_open_to(current_user), **_labels())


def _labels() -> dict:
    return {"band_labels": {band.value: label for band, label in BAND_LABELS.items()},
            "progress_labels": {p.value: label for p, label in PROGRESS_LABELS.items()},
            "stage_labels": {stage.value: label for stage, label in STAGE_LABELS.items()},
            "themes_of": themes_of, "local_source": LOCAL_SOURCE}
