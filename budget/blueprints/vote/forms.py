from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class BallotForm(FlaskForm):
    """The chosen project ids. Whether they make a valid ballot is the service's question."""

    project = SelectMultipleField(coerce=int, validate_choice=False,
                                  widget=ListWidget(), option_widget=CheckboxInput())
