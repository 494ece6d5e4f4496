from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from budget.domain.proposals import MAX_COST, Status


class ReviewForm(FlaskForm):
    status = RadioField(_l("Decision"), choices=[
        SelectChoice(Status.ON_BALLOT.value, _l("Feasible: put it on the ballot")),
        SelectChoice(Status.REJECTED.value, _l("Not feasible: reject it")),
    ], validators=[InputRequired(_l("Choose a decision."))])
    final_cost = IntegerField(_l("Final cost, in euros (the ballot uses it)"), validators=[
        Optional(), NumberRange(1, MAX_COST, _l("The cost must be a whole number of euros "
                                                "between 1 and 100 000 000."))])
    rejection_reason = TextAreaField(_l("Reason given to the author (if rejected)"),
                                     validators=[Length(max=2000)])


class PublishForm(FlaskForm):
    run_id = HiddenField(validators=[InputRequired()])
