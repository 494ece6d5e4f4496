from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class BallotForm(FlaskForm):
    """The chosen project ids. Whether they make a valid ballot is the service's question."""

    project = SelectMultipleField(coerce=int, validate_choice=False,
                                  widget=ListWidget(), option_widget=CheckboxInput())


POINTS_PREFIX = "points-"


def points_sent(formdata) -> list[tuple[str, str]]:
    """The (project id, points) texts of a cumulative ballot: one `points-<id>` field per
    project. Left as text, repeats included: reading them is the service's question."""
    return [(key.removeprefix(POINTS_PREFIX), value)
            for key, value in formdata.items(multi=True) if key.startswith(POINTS_PREFIX)]
