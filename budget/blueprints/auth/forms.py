from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from budget.blueprints.numbers import bounded_int
from budget.services.accounts import MIN_PASSWORD_LENGTH


def email_field(*extra_validators) -> EmailField:
    return EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")), *extra_validators, Length(max=254)])


def new_password_field(label) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(_l("Choose a password.")),
        Length(MIN_PASSWORD_LENGTH, 200, _l("The password must have at least %(min)d "
                                            "characters."))])


def confirm_field() -> PasswordField:
    return PasswordField(_l("Password again"), validators=[
        EqualTo("password", _l("The two passwords differ."))])


def results_email_field() -> BooleanField:
    return BooleanField(_l("Email me when the results of a budget cycle are published"))


class RegisterForm(FlaskForm):
    email = email_field(Email(_l("Enter a valid email address, like nom@exemple.fr.")))
    display_name = StringField(_l("Name shown on your proposals"), validators=[
        DataRequired(_l("Enter a name.")), Length(max=80)])
    home_commune_id = SelectField(_l("Your commune"), coerce=bounded_int, validate_choice=False,
                                  validators=[DataRequired(_l("Choose your commune."))])
    password = new_password_field(_l("Password (at least 10 characters)"))
    confirm = confirm_field()
    notify_results = results_email_field()


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("New password (at least 10 characters)"))
    confirm = confirm_field()


class NotificationsForm(FlaskForm):
    notify_results = results_email_field()
    notify_delivery = BooleanField(_l("Email me when a winning project of my commune moves to "
                                      "a new stage of its delivery"))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")),
                                               Length(max=20)])


class ProviderLinkForm(FlaskForm):
    """Links an identity from the provider to the account with its email address."""
    password = PasswordField(_l("Password of your account"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=200)])


class ProviderAccountForm(FlaskForm):
    """A new account for an identity from the provider: what the provider does not give."""
    display_name = StringField(_l("Name shown on your proposals"), validators=[
        DataRequired(_l("Enter a name.")), Length(max=80)])
    home_commune_id = SelectField(_l("Your commune"), coerce=bounded_int, validate_choice=False,
                                  validators=[DataRequired(_l("Choose your commune."))])
    notify_results = results_email_field()
