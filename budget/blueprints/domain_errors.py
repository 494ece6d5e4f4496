"""Turning domain errors into what a page shows: a message next to its field, or at the top."""
from __future__ import annotations

from datetime import date

from flask import abort, flash
from flask_babel import format_date, gettext

from budget.domain.errors import (DomainError, EmailNotVerified, InvalidBallot, InvalidSetup,
                                  NotAllowed, NotEligible)
from budget.formatting import euros

MONEY_PARAMS = {"amount", "total", "minimum", "agreed"}


def message_of(error: DomainError) -> str:
    params = {key: _shown(key, value) for key, value in error.params.items()}
    return gettext(error.message, **params)


def _shown(key: str, value):
    if key in MONEY_PARAMS:
        return euros(value)
    if isinstance(value, date):
        return format_date(value, "long")
    return value


def attach_to_form(form, error: DomainError) -> None:
    """Show a service's refusal on the form, next to its field when it names one; a refusal
    of the person (NotAllowed) is a 403 page instead. The service rolled back already."""
    if isinstance(error, NotAllowed) and not isinstance(error, EmailNotVerified):
        abort(403)
    problems = error.problems if isinstance(error, (InvalidBallot, InvalidSetup, NotEligible)) \
        else [error]
    for problem in problems:
        field = getattr(form, problem.field, None) if problem.field else None
        if field is not None:
            field.errors = [*field.errors, message_of(problem)]
        else:
            form.form_errors.append(message_of(problem))


def flash_error(error: DomainError) -> None:
    if isinstance(error, NotAllowed) and not isinstance(error, EmailNotVerified):
        abort(403)
    problems = error.problems if isinstance(error, (InvalidBallot, InvalidSetup, NotEligible)) \
        else [error]
    for problem in problems:
        flash(message_of(problem), "error")
