from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField, bounded_int, optional_bounded_int
from budget.domain.proposals import MAX_COST, Status


class ReviewForm(FlaskForm):
    status = RadioField(_l("Decision"), choices=[
        SelectChoice(Status.IN_REVIEW.value, _l("In review: the services are studying it")),
        SelectChoice(Status.ON_BALLOT.value, _l("Feasible: put it on the ballot")),
        SelectChoice(Status.REJECTED.value, _l("Not feasible: reject it")),
        SelectChoice(Status.MERGED.value, _l("Duplicate: merge it into another proposal")),
    ], validators=[InputRequired(_l("Choose a decision."))])
    final_cost = BoundedIntegerField(_l("Final cost, in euros (the ballot uses it)"), validators=[
        Optional(), NumberRange(1, MAX_COST, _l("The cost must be a whole number of euros "
                                                "between 1 and 100,000,000."))])
    cost_justification = TextAreaField(
        _l("Why the final cost differs from the estimate (shown to the author and voters)"),
        validators=[Length(max=2000)])
    rejection_reason = TextAreaField(_l("Reason given to the author (if rejected)"),
                                     validators=[Length(max=2000)])
    merged_into_id = SelectField(_l("Merged into (if a duplicate)"), coerce=optional_bounded_int,
                                 validate_choice=False)
    theme_ids = SelectMultipleField(_l("Themes (one or more)"), coerce=bounded_int,
                                    validate_choice=False)


class PublishForm(FlaskForm):
    run_id = HiddenField(validators=[InputRequired()])
