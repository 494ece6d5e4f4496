from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from budget.blueprints.numbers import bounded_int


class BallotForm(FlaskForm):
    """The chosen project ids. Whether they make a valid ballot is the service's question."""

    project = SelectMultipleField(coerce=bounded_int, validate_choice=False,
                                  widget=ListWidget(), option_widget=CheckboxInput())
    # On the confirmation step: recorded on the account (User.notify_delivery), never on the
    # ballot.
    notify_delivery = BooleanField(_l("Email me the news of the winning projects of my "
                                      "commune and of the intercommunalité, until they are "
                                      "delivered"))


POINTS_PREFIX = "points-"


def points_sent(formdata) -> list[tuple[str, str]]:
    """The (project id, points) texts of a cumulative ballot: one `points-<id>` field per
    project. Left as text, repeats included: reading them is the service's question."""
    return [(key.removeprefix(POINTS_PREFIX), value)
            for key, value in formdata.items(multi=True) if key.startswith(POINTS_PREFIX)]


class EligibilityForm(FlaskForm):
    """What a voter declares before their ballot; the fields a cycle does not ask are left
    out of the page. Whether it makes them eligible is the service's question."""

    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    sworn_residence = BooleanField()  # its label is the statement, written in the template
    identifier = StringField(_l("Identifier (voter card or tax number)"),
                             validators=[Length(max=100)])
    code = StringField(_l("Access code"), validators=[Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
