from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField, optional_bounded_int
from budget.domain.delivery import MAX_MILESTONE_TEXT, MAX_REASON, STAGE_LABELS, Stage
from budget.domain.proposals import MAX_COST

WHOLE_EUROS = _l("Enter a whole number of euros, from 0 to 100,000,000.")


def _euros(label):
    return BoundedIntegerField(label, validators=[
        InputRequired(WHOLE_EUROS), NumberRange(0, MAX_COST, WHOLE_EUROS)])


class TrackingForm(FlaskForm):
    stage = RadioField(_l("Stage"), choices=[
        SelectChoice(stage.value, _l(STAGE_LABELS[stage])) for stage in Stage],
        validators=[InputRequired(_l("Choose a stage."))])
    progress = BoundedIntegerField(_l("Progress, in percent"), validators=[
        InputRequired(_l("Enter the progress, from 0 to 100.")),
        NumberRange(0, 100, _l("The progress is a percentage, from 0 to 100."))])
    committed = _euros(_l("Money committed, in euros"))
    spent = _euros(_l("Money spent, in euros"))
    planned_delivery = DateField(_l("Planned delivery date"), validators=[Optional()])
    delivered_on = DateField(_l("Delivered on (once delivered)"), validators=[Optional()])
    abandon_reason = TextAreaField(_l("Why it is abandoned (shown to the public)"),
                                   validators=[Length(max=MAX_REASON)])
    # The choices (the cycle's other winners) are set by the view; the service checks the one
    # sent (same cycle, not itself, not merged itself).
    merged_into = SelectField(_l("Merged into (only for the stage “Merged into another project”)"),
                              coerce=optional_bounded_int, validate_choice=False)
    delivered_by = RadioField(_l("Delivered by"), choices=[
        SelectChoice("commune", _l("The commune")),
        SelectChoice("intercommunality", _l("The intercommunalité"))],
        validators=[InputRequired(_l("Choose who delivers it."))])
    service = StringField(_l("Service in charge"), validators=[Length(max=200)])


class MilestoneForm(FlaskForm):
    happened_on = DateField(_l("Date"), validators=[
        InputRequired(_l("Give the milestone's date."))])
    text = StringField(_l("What happened, in a short sentence"), validators=[
        DataRequired(_l("Say what happened, in a short sentence.")),
        Length(max=MAX_MILESTONE_TEXT)])
    photo = FileField(_l("Photo, optional (JPEG, PNG, WebP or GIF, at most 5 MB)"))
    alt_text = StringField(_l("What the photo shows, for people who cannot see it"),
                           validators=[Length(max=200)])
