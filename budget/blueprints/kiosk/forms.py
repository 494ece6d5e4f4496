"""The forms of polling stations (staff) and of the kiosk (voters). They check shape only:
whether a person may vote, or a code opens a ballot, is the services' question."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional

from budget.blueprints.numbers import bounded_int
from budget.blueprints.vote.forms import BallotForm


class StationForm(FlaskForm):
    commune = RadioField(_l("Commune"), coerce=bounded_int,
                         validators=[InputRequired(_l("Choose the commune."))])
    name = StringField(_l("Name of the polling station"), validators=[Length(max=120)])


class DeskForm(FlaskForm):
    """The voter at the desk: census identifier and date of birth, or access code."""

    identifier = StringField(_l("Identifier"), validators=[Length(max=100)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    code = StringField(_l("Access code"), validators=[Length(max=40)],
                       render_kw={"autocomplete": "off"})


class RevokeForm(FlaskForm):
    kiosk = StringField(validators=[Length(max=40)])  # an id, read by the view


class UnlockForm(FlaskForm):
    code = StringField(_l("Code given by the desk"), validators=[Length(max=20)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "autofocus": True})


class KioskBallotForm(BallotForm):
    """The online ballot's form, and whether the voter wants their receipt printed."""

    print_receipt = BooleanField(_l("Print my receipt code on a slip"))


class DeskIdentityForm(FlaskForm):
    """The voter checked by the identity provider: only their sworn statement remains, when
    the cycle asks for one (its label is the statement, written in the template)."""

    sworn_residence = BooleanField()
