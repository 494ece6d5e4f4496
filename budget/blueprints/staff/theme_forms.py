from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from budget.domain.themes import ICONS, MAX_THEME_DESCRIPTION, MAX_THEME_NAME


class ThemeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Give the theme a name.")), Length(max=MAX_THEME_NAME)])
    description = TextAreaField(_l("Short description (optional)"),
                                validators=[Length(max=MAX_THEME_DESCRIPTION)])
    icon = RadioField(_l("Icon"), choices=[SelectChoice(icon, _l(label))
                                           for icon, label in ICONS.items()],
                      validators=[InputRequired(_l("Choose an icon."))])
