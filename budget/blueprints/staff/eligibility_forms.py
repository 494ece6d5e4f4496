"""Forms of the staff pages on who may vote: shape only (the services check the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from budget.blueprints.numbers import BoundedIntegerField, bounded_int
from budget.domain.eligibility import EligibilityRules, Proof

PROOFS = [SelectChoice(Proof.NONE.value,
                       _l("No proof: every resident who meets the rules above")),
          SelectChoice(Proof.CENSUS.value, _l("A census list: identifier and date of birth")),
          SelectChoice(Proof.ACCESS_CODE.value,
                       _l("Access codes sent by letter, one per ballot")),
          SelectChoice(Proof.IDENTITY_PROVIDER.value,
                       _l("Identity verified by FranceConnect (residence: sworn statement)"))]


class RulesForm(FlaskForm):
    minimum_age = BoundedIntegerField(_l("Minimum age (years; leave empty for none)"),
                                      validators=[Optional()], render_kw={"inputmode": "numeric"})
    reference_date = DateField(_l("Age reached on"), validators=[Optional()])
    sworn_residence = BooleanField(_l("Voters certify on their honour that they live in their "
                                      "commune"))
    proof = RadioField(_l("Proof of eligibility"), choices=PROOFS, default=Proof.NONE.value)

    def show(self, rules: EligibilityRules) -> None:
        self.minimum_age.data = rules.minimum_age
        self.reference_date.data = rules.reference_date
        self.sworn_residence.data = rules.sworn_residence
        self.proof.data = rules.proof.value

    def rules(self) -> EligibilityRules:
        return EligibilityRules(minimum_age=self.minimum_age.data,
                                reference_date=self.reference_date.data,
                                sworn_residence=self.sworn_residence.data,
                                proof=Proof(self.proof.data))


class CensusForm(FlaskForm):
    census_file = FileField(_l("Census file (CSV)"),
                            validators=[FileRequired(_l("Choose a CSV file."))])


class CodesForm(FlaskForm):
    quantity = BoundedIntegerField(_l("Number of codes"), render_kw={"inputmode": "numeric"},
                                   validators=[InputRequired(_l("Enter a whole number.")),
                                               NumberRange(1, 2000, _l("Between 1 and 2,000."))])


class PaperVoterForm(FlaskForm):
    commune = RadioField(_l("Commune"), coerce=bounded_int,
                         validators=[InputRequired(_l("Choose the commune."))])
    identifier = StringField(_l("Identifier"), validators=[Length(max=100)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    code = StringField(_l("Access code"), validators=[Length(max=40)],
                       render_kw={"autocomplete": "off"})
