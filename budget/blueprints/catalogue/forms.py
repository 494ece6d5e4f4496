from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField
from budget.domain.catalogue import BAND_LABELS, PROGRESS_LABELS


class CatalogueFilterForm(FlaskForm):
    """The catalogue's search and filters, sent by GET (nothing changes: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Words to look for"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    cost_min = BoundedIntegerField(_l("Cost from (euros)"),
                                   validators=[Optional(), NumberRange(min=0)])
    cost_max = BoundedIntegerField(_l("Cost up to (euros)"),
                                   validators=[Optional(), NumberRange(min=0)])
    band = SelectField(_l("Size of the commune"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any size")),
        *(SelectChoice(band.value, _l(label)) for band, label in BAND_LABELS.items())])
    status = SelectField(_l("Outcome"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any outcome")),
        *(SelectChoice(value.value, _l(label)) for value, label in PROGRESS_LABELS.items())])


class CatalogueImportForm(FlaskForm):
    file = FileField(_l("File (.pb from Pabulib, or .json open-data export)"),
                     validators=[FileRequired(_l("Choose a file."))])
