"""The rules of a discussion under a proposal: plain text, one level of replies, a short
window to correct one's own comment, and how a plain text becomes safe HTML with its links.

Standard library only: the web layer marks `linked_html`'s result as safe, and nothing else.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from budget.domain.errors import DomainError
from budget.domain.phases import Phase

EDIT_WINDOW = timedelta(minutes=15)
MAX_COMMENT = 2000
MAX_REASON = 500
MIN_REASON = 3
# The phases staff may open comments in, and the default of a new cycle.
COMMENT_PHASE_CHOICES = (Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW, Phase.VOTE,
                         Phase.COUNTING, Phase.RESULTS)
DEFAULT_COMMENT_PHASES = (Phase.PROPOSALS.value, Phase.REVIEW.value)

# An http(s) address, up to the first space, quote or angle bracket; a final dot, comma,
# colon or closing bracket belongs to the sentence, not to the address. It runs on escaped
# text, where `&` is `&amp;` and quotes and brackets are entities: the address stops at them.
_URL = re.compile(r"https?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s<>\"'])+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def check_body(body: str) -> str:
    """The comment's text, trimmed; raises DomainError (field "body") if empty or too long."""
    text = (body or "").strip()
    if not text:
        raise DomainError("Write your comment.", field="body")
    if len(text) > MAX_COMMENT:
        raise DomainError("A comment has at most %(count)s characters.", field="body",
                          count=MAX_COMMENT)
    return text


def check_reason(reason: str, field: str = "reason") -> str:
    """A report's or a moderator's reason, trimmed; raises DomainError on `field`."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise DomainError("Say why in a few words.", field=field)
    if len(text) > MAX_REASON:
        raise DomainError("At most %(count)s characters.", field=field, count=MAX_REASON)
    return text


def check_reply_target(parent_parent_id: int | None) -> None:
    """Replies go one level deep: a reply to a reply is refused."""
    if parent_parent_id is not None:
        raise DomainError("Answer the first comment of the conversation, not a reply.")


def may_edit(created_at: datetime, now: datetime) -> bool:
    """Whether a comment written at `created_at` may still be corrected at `now`."""
    return now - created_at <= EDIT_WINDOW


def check_comment_phases(values) -> tuple[str, ...]:
    """The phases chosen for comments, in the cycle's order; raises DomainError on unknown
    ones (an empty choice closes comments)."""
    allowed = [phase.value for phase in COMMENT_PHASE_CHOICES]
    if set(values) - set(allowed):
        raise DomainError("Choose phases of the cycle.", field="comment_phases")
    return tuple(value for value in allowed if value in values)


def linked_html(text: str) -> str:
    """`text` as HTML: every character escaped first, then each http(s) address made a
    link that the site does not vouch for (rel nofollow ugc noopener, new tab not forced).
    Any other scheme (javascript:, data:) stays plain text."""
    escaped = html.escape(text, quote=True)

    def link(match: re.Match) -> str:
        address = match.group(0)
        tail = ""
        while address and address[-1] in _TRAILING:
            address, tail = address[:-1], address[-1] + tail
        if address.endswith("&amp"):  # an escaped "&" cut by a trailing ";" rule
            address, tail = address[:-4], "&amp" + tail
        return f'<a href="{address}" rel="nofollow ugc noopener">{address}</a>{tail}'

    return _URL.sub(link, escaped)
