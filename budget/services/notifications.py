"""Emails telling people what happened to them: sent once the change is committed, so a mail
server that is down never undoes a vote or a decision, nor shows an error to the person who
made it (the failure is logged).

Ballot secrecy: the vote email carries the receipt code, never the choices. Links are absolute
URLs made by the caller from PUBLIC_URL (budget.links.public_url, never from the request's
Host header); without one (None) the email names the page instead.
"""
from __future__ import annotations

import functools
import smtplib

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from budget import jobs, mail
from budget.domain.proposals import Status
from budget.extensions import db
from budget.formatting import euros
from budget.models import BudgetCycle, Commune, Proposal, User
from budget.services import accounts


def _never_fails(notify):
    """The change is already committed when an email is written: whatever goes wrong while
    writing or sending it (the mail server, a database busy with other votes) is logged, and
    the person still sees their vote or decision saved."""
    @functools.wraps(notify)
    def guarded(*args, **kwargs):
        try:
            return notify(*args, **kwargs)
        except Exception:  # noqa: BLE001 (see the docstring)
            current_app.logger.exception("Notification %s failed", notify.__name__)
            return None
    return guarded


def _send(to: str, subject: str, paragraphs: list[str],
          headers: dict[str, str] | None = None) -> bool:
    try:
        jobs.enqueue_email(to, subject, "\n\n".join(paragraphs), headers)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send “%s” to %s", subject,
                                     mail.recipient_hash(to))
        return False
    return True


def _greeting(user: User) -> str:
    return gettext("Hello %(name)s,", name=user.display_name)


@dataclass(frozen=True)
class Voter:
    """What the vote email needs, read before the vote's commit: after it, reading the user
    again would wait for a database busy with other votes."""

    email: str
    name: str
    cycle_title: str


@_never_fails
def vote_recorded(voter: Voter, code: str, check_url: str | None) -> None:
    """To the voter, in their language: the receipt code, not the choices."""
    paragraphs = [
        gettext("Hello %(name)s,", name=voter.name),
        gettext("Your vote in “%(cycle)s” is recorded. Your receipt code is:",
                cycle=voter.cycle_title),
        code,
        gettext("Once the results are published, this code lets you check that your ballot "
                "was counted. This email does not list your choices: your ballot is stored "
                "apart from your name. Keep the code to yourself: whoever has it can see what "
                "the ballot contains.")]
    if check_url:
        paragraphs.append(gettext("Check your ballot here once the results are out: %(url)s",
                                  url=check_url))
    _send(voter.email, gettext("Your vote is recorded"), paragraphs)


@_never_fails
def proposal_decided(proposal: Proposal, page_url: str | None) -> None:
    """To the author, in French (the platform's language; the reviewer's is not theirs)."""
    author, cycle = proposal.author, proposal.cycle
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if proposal.status == Status.ON_BALLOT:
            subject = gettext("Your proposal is on the ballot")
            news = [gettext("Your proposal “%(title)s” has been reviewed: it is on the ballot "
                            "of “%(cycle)s”, at a final cost of %(cost)s. Residents can vote "
                            "for it once the vote opens.", title=proposal.title,
                            cycle=cycle.title, cost=euros(proposal.final_cost))]
            if proposal.cost_justification:
                news.append(gettext("Why the cost changed: %(why)s",
                                    why=proposal.cost_justification))
        elif proposal.status == Status.IN_REVIEW:
            subject = gettext("Your proposal is being studied")
            news = [gettext("The services are studying your proposal “%(title)s” (feasibility "
                            "and cost). You will receive their decision by email.",
                            title=proposal.title)]
        elif proposal.status == Status.MERGED:
            subject = gettext("Your proposal was merged with a similar one")
            news = [gettext("Your proposal “%(title)s” is close to “%(other)s”: the staff "
                            "merged them, and “%(other)s” carries both from now on.",
                            title=proposal.title, other=proposal.merged_into.title)]
        else:
            subject = gettext("Your proposal will not be on the ballot")
            news = [gettext("Your proposal “%(title)s” has been reviewed and will not be on "
                            "the ballot of “%(cycle)s”. The reason given by the staff:",
                            title=proposal.title, cycle=cycle.title),
                    proposal.rejection_reason or ""]
        if page_url:
            news.append(gettext("Your proposal's page: %(url)s", url=page_url))
        _send(author.email, subject, [_greeting(author), *news])


@_never_fails
def proposal_unsupported(proposal: Proposal, supports: int, threshold: str,
                         page_url: str | None) -> None:
    """To the author, in French: the supports phase left their proposal out."""
    author = proposal.author
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        news = [_greeting(author),
                ngettext("The supports phase of “%(cycle)s” is over: your proposal “%(title)s” "
                         "gathered %(num)d support, below the threshold (%(threshold)s). It "
                         "is not kept for the review (insufficient supports).",
                         "The supports phase of “%(cycle)s” is over: your proposal “%(title)s” "
                         "gathered %(num)d supports, below the threshold (%(threshold)s). It "
                         "is not kept for the review (insufficient supports).", supports,
                         cycle=proposal.cycle.title, title=proposal.title,
                         threshold=threshold)]
        if page_url:
            news.append(gettext("Your proposal's page: %(url)s", url=page_url))
        _send(author.email, gettext("Your proposal did not gather enough supports"), news)


@_never_fails
def comment_posted(comment, page_url: str | None) -> None:
    """To the proposal's author, in French: someone commented on their proposal (the text
    is quoted, never the commenter's email)."""
    proposal = comment.proposal
    author = proposal.author
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        news = [_greeting(author),
                gettext("%(name)s commented on your proposal “%(title)s”:",
                        name=comment.author.display_name, title=proposal.title),
                comment.body]
        if page_url:
            news.append(gettext("Read and answer on your proposal's page: %(url)s",
                                url=page_url))
        _send(author.email, gettext("New comment on your proposal"), news)


@_never_fails
def results_published(cycle: BudgetCycle, results_url: str | None,
                      unsubscribe_link=None) -> int | None:
    """To the residents of the cycle's territory who asked for it; returns how many were
    sent (None if it failed). `unsubscribe_link(token)`: the absolute URL that stops them,
    in the body and in the List-Unsubscribe header (one click, RFC 8058)."""
    where = (Commune.id == cycle.commune_id if cycle.commune_id is not None
             else Commune.intercommunality_id == cycle.intercommunality_id)
    residents = db.session.scalars(
        select(User).join(Commune, User.home_commune_id == Commune.id)
        .where(User.notify_results.is_(True), where)
        .order_by(User.id)).all()
    sent = 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        where = (gettext("See them here: %(url)s", url=results_url) if results_url else
                 gettext("See them on the page of the cycle, on the platform."))
        for resident in residents:
            stop, headers = _unsubscribe(resident, unsubscribe_link)
            sent += _send(resident.email, gettext("The results of “%(cycle)s” are published",
                                                  cycle=cycle.title), [
                _greeting(resident),
                gettext("The results of the participatory budget “%(cycle)s” are published.",
                        cycle=cycle.title),
                where, stop], headers)
    return sent


def _unsubscribe(resident: User, unsubscribe_link) -> tuple[str, dict[str, str]]:
    """The sentence that says how to stop these emails, and the headers of a one-click stop."""
    if unsubscribe_link is None:
        return gettext("You receive this email because you asked for it. To stop, untick the "
                       "option on your account page."), {}
    url = unsubscribe_link(accounts.unsubscribe_token(resident))
    return (gettext("You receive this email because you asked for it. To stop, open this "
                    "link: %(url)s", url=url),
            {"List-Unsubscribe": f"<{url}>",
             "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
