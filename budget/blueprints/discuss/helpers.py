"""What the discussion's templates call (the proposal page includes discuss/_comments.html):
the threads the policy lets the person read, and the forms it lets them use."""
from flask_login import current_user
from markupsafe import Markup

from budget.blueprints.discuss.blueprint import bp
from budget.blueprints.discuss.forms import CommentForm
from budget.domain.discussion import linked_html
from budget.services import reading
from budget.services import discussion


@bp.app_template_filter("linked")
def linked(text: str) -> Markup:
    """Plain text as HTML: escaped first, then its http(s) addresses made links (linked_html
    escapes every character of `text` before adding its own <a> tags)."""
    return Markup(linked_html(text or ""))  # nosec B704


@bp.app_context_processor
def discussion_helpers() -> dict:
    return {
        "comment_threads": lambda proposal: discussion.threads(current_user, proposal),
        "comment_editable": lambda comment: discussion.editable(current_user, comment),
        "may_read_comments": lambda proposal: reading.may_read_comments(current_user,
                                                                       proposal),
        "new_comment_form": lambda: CommentForm(formdata=None),
        "charter_accepted": lambda cycle: discussion.has_accepted_charter(current_user, cycle),
        "charter_text": discussion.charter_text,
    }
