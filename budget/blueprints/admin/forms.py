from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField


class AuditFilterForm(FlaskForm):
    """The audit log's filters, sent by GET (nothing changes: no CSRF token)."""

    class Meta:
        csrf = False

    cycle = BoundedIntegerField(_l("Cycle number"), validators=[Optional(), NumberRange(min=1)])
    actor = StringField(_l("Who (name or account number)"),
                        validators=[Optional(), Length(max=80)])
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=False)
    since = DateField(_l("From (day, Paris time)"), validators=[Optional()])
    until = DateField(_l("To (day included, Paris time)"), validators=[Optional()])
