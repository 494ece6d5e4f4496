from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from budget.blueprints.numbers import BoundedIntegerField, bounded_int
from budget.blueprints.vote.forms import BallotForm
from budget.formatting import number
from budget.models.paper import BLANK, MAX_BATCH_BALLOTS, SPOILED, VALID


class BatchForm(FlaskForm):
    commune = SelectField(_l("Commune"), coerce=bounded_int,
                          validators=[InputRequired(_l("Choose a commune."))])
    label = StringField(_l("Polling station and date"), validators=[
        InputRequired(_l("Name the batch: polling station and date (at most 200 "
                         "characters).")), Length(max=200)])
    declared_count = BoundedIntegerField(
        _l("Number of ballots in the batch (counted by hand)"),
        validators=[InputRequired(), NumberRange(
            1, MAX_BATCH_BALLOTS, _l("A batch holds between 1 and %(largest)s ballots.",
                                     largest=LazyString(number, MAX_BATCH_BALLOTS)))])


class PaperBallotForm(BallotForm):
    """One paper ballot as typed: its kind, then (if valid) the projects it chose; points of a
    cumulative ballot come as `points-<id>` fields (vote.forms.points_sent)."""

    kind = RadioField(_l("This ballot is"), default=VALID, choices=[
        SelectChoice(VALID, _l("valid: its choices follow")),
        SelectChoice(BLANK, _l("blank (no choice)")),
        SelectChoice(SPOILED, _l("spoiled (unreadable, marked or breaking the rules)")),
    ], validators=[InputRequired(_l("Say whether the ballot is valid, blank or spoiled."))])
