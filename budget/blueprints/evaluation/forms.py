"""The evaluation's forms: shape only (services/evaluation.py checks the rules)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from budget.blueprints.numbers import optional_bounded_int
from budget.domain.evaluation import (MAX_ANSWER_COMMENT, MAX_EVALUATION_TEXT, USAGE_LABELS,
                                      USEFULNESS_LABELS)


class AnswerForm(FlaskForm):
    # validate_choice=False: an unknown choice gets the service's sentence (check_answer).
    usage = RadioField(_l("Do you use it?"), validate_choice=False, choices=[
        SelectChoice(usage.value, _l(label)) for usage, label in USAGE_LABELS.items()],
        validators=[InputRequired(_l("Say whether you use it."))])
    usefulness = RadioField(_l("How useful is it, from 1 to 5?"), coerce=optional_bounded_int,
                            validate_choice=False, choices=[
        SelectChoice(value, _l("%(value)s – %(words)s", value=value, words=_l(words)))
        for value, words in USEFULNESS_LABELS.items()],
        validators=[InputRequired(_l("Choose how useful it is, from 1 to 5."))])
    comment = TextAreaField(_l("A comment, optional (shown to everyone, without your name)"),
                            validators=[Length(max=MAX_ANSWER_COMMENT, message=_l(
                                "At most %(max)d characters."))])


class EvaluationTextForm(FlaskForm):
    body = TextAreaField(_l("The evaluation, in a few sentences (shown to everyone)"),
                         validators=[DataRequired(_l("Write the evaluation.")),
                                     Length(max=MAX_EVALUATION_TEXT,
                                            message=_l("At most %(max)d characters."))])
