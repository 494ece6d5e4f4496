from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ReceiptForm(FlaskForm):
    code = StringField(_l("Receipt code"), validators=[
        DataRequired(_l("Enter the receipt code you were given after voting.")),
        Length(max=40)])
