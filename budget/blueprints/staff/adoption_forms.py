from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from budget.templating import ADOPTION_OUTCOMES
COMMUNITY = "community"  # the select's value for the conseil communautaire


class AdoptionForm(FlaskForm):
    body = SelectField(_l("Council"), validators=[InputRequired(_l("Choose the council."))])
    session_date = DateField(_l("Date of the session"), validators=[
        InputRequired(_l("Give the date of the session."))])
    deliberation_number = StringField(_l("Deliberation number"), validators=[
        DataRequired(_l("Give the deliberation's number.")), Length(max=40)])
    outcome = RadioField(_l("Decision"), choices=[
        SelectChoice(value, label) for value, label in ADOPTION_OUTCOMES.items()],
        validators=[InputRequired(_l("Choose the council's decision."))])
    pdf = FileField(_l("The deliberation (PDF, at most 8 MB, optional)"))
