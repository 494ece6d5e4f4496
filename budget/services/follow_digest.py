"""The daily digest of the proposals a resident follows: one email per follower and per day at
most, whatever happened (review decisions, the vote's result, stages of delivery, and the new
comments for those who chose them). Run by `flask budget send-digests` (a daily systemd timer,
deploy/systemd) or the `send_follow_digests` job.

Each part of the email has its one-click unfollow link (services/follows.py), opened without
signing in. Comments are counted, never quoted: a comment hidden since stays hidden.
"""
from __future__ import annotations

import smtplib
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import delete, select

from budget import jobs, mail
from budget.domain.delivery import STAGE_LABELS
from budget.extensions import begin_write_transaction, db
from budget.models import Follow, FollowNews, User
from budget.models.time import to_local, utcnow
from budget.services import follows, reading
from budget.services.transaction import unit_of_work

KEEP_NEWS = timedelta(days=30)  # then every follower has had it, the digest running daily


def _status_line(proposal, detail: str) -> str:
    if detail == "on_ballot":
        return gettext("It is on the ballot.")
    if detail == "in_review":
        return gettext("The services are studying it.")
    if detail == "rejected":
        return gettext("It will not be on the ballot. The reason given by the staff: %(why)s",
                       why=proposal.rejection_reason or "")
    if detail == "merged":
        other = proposal.merged_into
        return gettext("It was merged with “%(other)s”.", other=other.title if other else "")
    if detail == "won":
        return gettext("It won the vote: it will be built.")
    if detail == "not_funded":
        return gettext("It was on the ballot but not funded by the vote.")
    return gettext("Its status changed.")


def _lines(proposal, news: list[FollowNews]) -> list[str]:
    lines, comments = [], 0
    for one in news:
        if one.kind == "comment":
            comments += 1
        elif one.kind == "stage":
            lines.append(gettext("Delivery: now at the stage “%(stage)s”.",
                                 stage=gettext(STAGE_LABELS.get(one.detail, one.detail))))
        else:
            lines.append(_status_line(proposal, one.detail))
    if comments:
        lines.append(ngettext("%(num)d new comment.", "%(num)d new comments.", comments))
    return lines


def _news_for(follow: Follow, until: datetime) -> list[FollowNews]:
    query = (select(FollowNews).where(FollowNews.proposal_id == follow.proposal_id,
                                      FollowNews.created_at > follow.notified_until,
                                      FollowNews.created_at <= until)
             .order_by(FollowNews.created_at, FollowNews.id))
    return [one for one in db.session.scalars(query)
            if one.kind != "comment" or (follow.with_comments and one.actor_id != follow.user_id)]


def _already_today(user_follows: list[Follow], now: datetime) -> bool:
    today = to_local(now).date()
    return any(f.digest_sent_at is not None and to_local(f.digest_sent_at).date() == today
               for f in user_follows)


def send_digests(page_link: Callable[[int], str | None],
                 unfollow_link: Callable[[str], str | None], now: datetime | None = None) -> int:
    """Email each follower the news of what they follow since their last digest (none twice
    the same day); returns how many emails went out. `page_link(proposal_id)` and
    `unfollow_link(token)` make the absolute URLs."""
    now = now or utcnow()
    by_user: dict[int, list[Follow]] = defaultdict(list)
    for follow in db.session.scalars(select(Follow).order_by(Follow.user_id, Follow.id)):
        by_user[follow.user_id].append(follow)
    sent = 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for user_id, user_follows in by_user.items():
            if _already_today(user_follows, now):
                continue
            sent += _digest(db.session.get(User, user_id), user_follows, now, page_link,
                            unfollow_link)
    with unit_of_work():  # news older than KEEP_NEWS is dropped
        begin_write_transaction()
        db.session.execute(delete(FollowNews).where(FollowNews.created_at < now - KEEP_NEWS))
    return sent


def _digest(user: User, user_follows: list[Follow], now, page_link, unfollow_link) -> int:
    parts = []
    for follow in user_follows:
        news = _news_for(follow, now)
        if not news or not reading.may_read_proposal(user, follow.proposal):
            continue
        part = [f"« {follow.proposal.title} »", *_lines(follow.proposal, news)]
        page = page_link(follow.proposal_id)
        if page:
            part.append(gettext("Its page: %(url)s", url=page))
        stop = unfollow_link(follows.unfollow_token(follow))
        if stop:
            part.append(gettext("Stop following it (one click): %(url)s", url=stop))
        parts.append("\n".join(part))
    with unit_of_work():
        begin_write_transaction()
        for follow in user_follows:
            follow.notified_until = max(follow.notified_until, now)
            if parts:
                follow.digest_sent_at = now
    if not parts:
        return 0
    subject = gettext("News of the proposals you follow")
    body = [gettext("Hello %(name)s,", name=user.display_name),
            gettext("Here is what happened to the proposals you follow:"), *parts,
            gettext("You receive this email because you follow these proposals. You can stop "
                    "following each one with its link, or on your account page.")]
    try:
        jobs.enqueue_email(user.email, subject, "\n\n".join(body))
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send the digest to %s",
                                     mail.recipient_hash(user.email))
        return 0
    return 1
