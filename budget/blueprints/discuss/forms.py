"""The discussion's forms: shape only (the services check the rules)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from budget.domain.discussion import MAX_COMMENT, MAX_REASON


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(_l("Write your comment.")),
        Length(max=MAX_COMMENT, message=_l("A comment has at most %(max)d characters."))])
    # Shown only before a person's first comment in the cycle.
    accept_charter = BooleanField(_l("I have read the charter of participation and I "
                                     "accept it"))


class EditCommentForm(FlaskForm):
    body = CommentForm.body


class ReasonForm(FlaskForm):
    """A report, a decision to hide or to block: why, in a few words."""

    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Say why in a few words.")),
        Length(max=MAX_REASON, message=_l("At most %(max)d characters."))])


class CharterForm(FlaskForm):
    body = TextAreaField(_l("Charter of participation"), validators=[
        DataRequired(_l("Write the charter."))])


class ConfirmForm(FlaskForm):
    """Only the CSRF token, for buttons that change something."""


class FollowForm(FlaskForm):
    """Follow a proposal; its changes always come, its new comments if asked."""

    with_comments = BooleanField(_l("Also the new comments"))


class ConfirmUnfollowForm(FlaskForm):
    """The confirmation of the email's unfollow link: a button, and the CSRF token."""
