"""What the catalogue's pages say in sentences: an import's refusal, the similar projects."""
from __future__ import annotations

from flask_babel import gettext

from budget.blueprints.domain_errors import message_of
from budget.domain.catalogue_files import FileRefused
from budget.formatting import euros, plural, punctuation
from budget.services.catalogue import Similar


def refusal(error: FileRefused) -> str:
    """The refusal, with its line when it has one: 'Ligne 12 : ...'."""
    text = message_of(error)
    if error.line:
        return gettext("Line %(line)s: %(problem)s", line=error.line, problem=text)
    return text


def similar_summary(found: Similar) -> str:
    """'3 projets semblables financés ailleurs : 12 000 € à 18 000 €, 2 livrés en moins d'un
    an' (the delivery said only when some were); empty when there is none."""
    if not found.rows:
        return ""
    text = plural("%(num)d similar project funded elsewhere",
                  "%(num)d similar projects funded elsewhere", len(found.rows))
    parts = []
    costs = found.costs
    if costs and min(costs) != max(costs):
        parts.append(gettext("%(low)s to %(high)s", low=euros(min(costs)),
                             high=euros(max(costs))))
    elif costs:
        parts.append(euros(costs[0]))
    if found.delivered_within_a_year:
        parts.append(plural("%(num)d delivered in less than a year",
                            "%(num)d delivered in less than a year",
                            found.delivered_within_a_year))
    return text + punctuation(":") + " " + ", ".join(parts) if parts else text
