"""Domain errors: a rule was broken. The message is a user-facing English msgid (translated by
the web layer); `field` names the form field it belongs to, when there is one."""


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class NotAllowed(DomainError):
    """The user may not do this (role, ownership, territory)."""


class EmailNotVerified(NotAllowed):
    """The account's email address is not confirmed yet: the person can say so and fix it."""


class WrongPhase(DomainError):
    """The cycle is not in the phase this action belongs to."""


class InvalidBallot(DomainError):
    """The ballot breaks the cycle's ballot rules; `problems` lists every broken rule."""

    def __init__(self, problems: list["DomainError"]):
        super().__init__(problems[0].message, **problems[0].params)
        self.problems = problems


class AlreadyVoted(DomainError):
    """This voter has already cast a ballot in this cycle."""


class InvalidSetup(DomainError):
    """A cycle's configuration breaks several rules at once; `problems` lists each of them,
    every one naming the form field it belongs to when there is one."""

    def __init__(self, problems: list["DomainError"]):
        super().__init__(problems[0].message, problems[0].field, **problems[0].params)
        self.problems = problems


class NotEligible(DomainError):
    """The voter does not (yet) meet the cycle's eligibility rules; `problems` lists why."""

    def __init__(self, problems: list["DomainError"]):
        super().__init__(problems[0].message, problems[0].field, **problems[0].params)
        self.problems = problems
