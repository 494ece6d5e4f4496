"""Admins' forms: a territory file to import, a person's role and workplace."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from budget.models import Role

ROLE_LABELS = {
    Role.CITIZEN: _l("Resident"),
    Role.COMMUNE_STAFF: _l("Commune staff"),
    Role.STAFF: _l("Intercommunal staff"),
    Role.COUNCIL: _l("Council member"),
    Role.ADMIN: _l("Administrator"),
}


class TerritoryFileForm(FlaskForm):
    file = FileField(_l("CSV file of communes"),
                     validators=[FileRequired(_l("Choose a CSV file."))])


class FindAccountForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    q = StringField(_l("Email or name"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, label)
                                            for role, label in ROLE_LABELS.items()],
                       validators=[InputRequired()])
    workplace = SelectField(_l("Works for"), validate_choice=False,
                            description=_l("Commune staff work for a commune; intercommunal "
                                           "staff and council members for an "
                                           "intercommunality."))
