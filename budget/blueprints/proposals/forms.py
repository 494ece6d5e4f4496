from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField, bounded_int
from budget.domain.proposals import MAX_COST


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give your proposal a title.")), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Describe your proposal.")), Length(max=5000)])
    estimated_cost = BoundedIntegerField(_l("Estimated cost, in euros"), validators=[
        InputRequired(_l("Enter an estimated cost in euros.")),
        NumberRange(1, MAX_COST, _l("The cost must be a whole number of euros between 1 and "
                                    "100,000,000."))])
    envelope_id = RadioField(_l("Which envelope should pay for it?"), coerce=bounded_int,
                             validate_choice=False,
                             validators=[InputRequired(_l("Choose an envelope."))])
    # Typed, or filled in by clicking the map (static/proposal-map.js); the service checks them.
    latitude = DecimalField(_l("Latitude"), places=None, validators=[Optional()])
    longitude = DecimalField(_l("Longitude"), places=None, validators=[Optional()])
    # One or more of the cycle's themes (when it has some); the service checks them.
    theme_ids = SelectMultipleField(_l("Themes (one or more)"), coerce=bounded_int,
                                    validate_choice=False)


class SubmissionForm(ProposalForm):
    """A new proposal, with an optional first photo (more are added on the edit page)."""

    photo = FileField(_l("Photo (optional; JPEG, PNG, WebP or GIF, at most 5 MB)"))
    alt_text = StringField(_l("What the photo shows, for people who cannot see it"),
                           validators=[Optional(), Length(max=200)])
    # The catalogue entry it starts from ("Reprendre ce projet"), kept for good on it.
    inspired_by = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class ImageForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG, WebP or GIF, at most 5 MB)"),
                      validators=[FileRequired(_l("Choose a photo."))])
    alt_text = StringField(_l("What the photo shows, for people who cannot see it"),
                           validators=[DataRequired(_l("Say what the photo shows.")),
                                       Length(max=200)])
