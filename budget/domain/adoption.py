"""The council's adoption of a published run: which body decided, on which session, under which
deliberation number, with which outcome; and the check that a sent file is a PDF.

In France the winning projects go to the next council session: the conseil communautaire for
the intercommunalité's part, a commune's conseil municipal for its own envelope (or for its own
cycle). The outcome is one of four words a deliberation uses.
"""
from __future__ import annotations

import enum
import re
from datetime import date

from budget.domain.errors import DomainError
from budget.domain.phases import N_


class Body(str, enum.Enum):
    COMMUNITY = "community"  # conseil communautaire of the EPCI
    MUNICIPAL = "municipal"  # conseil municipal of one commune


class Outcome(str, enum.Enum):
    ADOPTED = "adopted"  # adoptée
    AMENDED = "adopted_amended"  # adoptée avec modifications
    REJECTED = "rejected"  # rejetée
    ADJOURNED = "adjourned"  # ajournée


# What a deliberation number looks like in practice: "2027-045", "DEL 2027/12", "n°45".
DELIBERATION_NUMBER = re.compile(r"^[0-9A-Za-z°][0-9A-Za-z° ./_-]{0,39}$")
PDF_MAGIC = b"%PDF-"
NOT_A_PDF = N_("This file is not a PDF document. Send the deliberation as a PDF file.")


def check_record(number: str, session: date, published: date, today: date) -> None:
    """Raise DomainError (naming the field) unless the deliberation number has the shape of one
    and the session took place between the results' publication and today."""
    if not DELIBERATION_NUMBER.match(number):
        raise DomainError("A deliberation number has 1 to 40 letters, digits, spaces or "
                          "“-”, “/”, “.”, “_”, “°”.", field="deliberation_number")
    if session < published:
        raise DomainError("The council session cannot be before the results were published "
                          "(%(date)s).", field="session_date", date=published)
    if session > today:
        raise DomainError("The council session cannot be in the future: record its "
                          "decision once it has met.", field="session_date")


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Raise DomainError (field "pdf") unless `data` is at most `max_bytes` long and is a PDF:
    it starts with the PDF header (within the first 1024 bytes, as readers allow) and ends with
    an end-of-file marker. Anything else (an image renamed .pdf, a Word file, HTML) is refused."""
    if len(data) > max_bytes:
        raise DomainError("This file is too large: at most %(megabytes)d MB.", field="pdf",
                          megabytes=max_bytes // (1024 * 1024))
    start = data.find(PDF_MAGIC, 0, 1024)
    if start < 0 or not re.match(rb"%PDF-[12]\.[0-9]", data[start:start + 8]):
        raise DomainError(NOT_A_PDF, field="pdf")
    if b"%%EOF" not in data[-1024:]:
        raise DomainError(NOT_A_PDF, field="pdf")
