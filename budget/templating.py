"""What templates may call: formatting for the French locale, and the policy."""
from __future__ import annotations

from flask import Flask, url_for
from flask_babel import (format_date, format_datetime, get_locale, get_translations, gettext,
                         lazy_gettext)
from flask_login import current_user

from budget.domain.phases import Phase
from budget.formatting import count_ngettext, euros, euros_cents, number, percent, punctuation
from budget.domain.tally import RULES
from budget.links import site_url
from budget.services import reading
from budget.services import cycles, policy
from budget.services.provenance import source_paragraph

PHASE_LABELS = {
    Phase.UPCOMING: lazy_gettext("Not open yet"),
    Phase.PROPOSALS: lazy_gettext("Proposals open"),
    Phase.SUPPORTS: lazy_gettext("Supports open"),
    Phase.REVIEW: lazy_gettext("Proposals under review"),
    Phase.VOTE: lazy_gettext("Vote open"),
    Phase.COUNTING: lazy_gettext("Vote closed, counting"),
    Phase.RESULTS: lazy_gettext("Results published"),
}

STATUS_LABELS = {
    "submitted": lazy_gettext("Submitted"),
    "in_review": lazy_gettext("In review"),
    "on_ballot": lazy_gettext("On the ballot"),
    "rejected": lazy_gettext("Not feasible"),
    "merged": lazy_gettext("Merged into another proposal"),
    "withdrawn": lazy_gettext("Withdrawn"),
    "unsupported": lazy_gettext("Not kept (insufficient supports)"),
    # Not a status: the winners of the published results, as the list's filter offers them.
    "won": lazy_gettext("Won"),
}


# The same words as the setup form's choices (blueprints/staff/setup_forms.py).
VOTE_FORMAT_LABELS = {
    "approval": lazy_gettext("Approval: choose projects"),
    "knapsack": lazy_gettext("Knapsack: choose projects within the envelope"),
    "cumulative": lazy_gettext("Cumulative: share out points"),
}

TIE_BREAKS = {
    "lowest-cost-most-votes-oldest": lazy_gettext(
        "the cheaper one first; at equal cost, the one with more votes; then the older "
        "proposal"),
}

# A council's decision on the results (domain/adoption.py Outcome values).
ADOPTION_OUTCOMES = {
    "adopted": lazy_gettext("Adopted"),
    "adopted_amended": lazy_gettext("Adopted with amendments"),
    "rejected": lazy_gettext("Rejected"),
    "adjourned": lazy_gettext("Adjourned"),
}


def council_name(commune) -> str:
    """The council of a commune (its conseil municipal), or with None the conseil
    communautaire of the intercommunalité."""
    if commune is None:
        return gettext("Community council (conseil communautaire)")
    return gettext("Municipal council of %(commune)s", commune=commune.name)


def plain_rule_label(name: str) -> str:
    """The rule in plain words, for residents (never its registry name)."""
    rule = RULES.get(name)
    return gettext(rule.label) if rule else name


def rule_explanation(name: str) -> str:
    """How the rule picks projects, in plain words."""
    rule = RULES.get(name)
    return gettext(rule.explanation) if rule else ""


def rule_label(name: str) -> str:
    """For staff: the plain words, then the registry name they choose and type."""
    return f"{plain_rule_label(name)} ({name})" if name in RULES else name


def envelope_label(envelope) -> str:
    """An Envelope: its commune's name, or 'Intercommunal envelope' (a stored result's
    envelope has its own `label`)."""
    name = getattr(envelope, "commune", None)
    if name is not None:
        return name.name
    return gettext("Intercommunal envelope")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=lambda action, cycle, target=None: policy.can(
            current_user, policy.Action(action), cycle, target),
        concerns=lambda action, cycle, target=None: policy.concerns(
            current_user, policy.Action(action), cycle, target),
        # The header lists, for those who have no staff pages, what the policy lets them do.
        result_previews=lambda: cycles.result_previews(current_user),
        may_read_proposal=lambda proposal: reading.may_read_proposal(current_user, proposal),
        phase_label=lambda phase: PHASE_LABELS[phase],
        status_label=lambda status: STATUS_LABELS[getattr(status, "value", status)],
        envelope_label=envelope_label,
        rule_label=rule_label,
        council_name=council_name,
        adoption_outcome=lambda value: ADOPTION_OUTCOMES.get(value, value),
        plain_rule_label=plain_rule_label,
        rule_explanation=rule_explanation,
        vote_format_label=lambda name: VOTE_FORMAT_LABELS.get(name, name),
        # One wording for a project's outcome, on pages and in exports alike.
        site_url=site_url,
        tie_break_label=lambda key: TIE_BREAKS.get(key, key),
        Phase=Phase,
        get_locale=get_locale,
        percent=percent,
        punctuation=punctuation,
        source_paragraph=source_paragraph,
        theme_icon_url=lambda icon: url_for("static", filename=f"themes/{icon}.svg"),
    )
    app.jinja_env.filters.update(
        euros=euros, euros_cents=euros_cents,
        date=lambda value: format_date(value, "long"),
        datetime=lambda value: format_datetime(value, "d MMMM y, HH:mm"),
        number=number,
    )
    # Counts in ngettext are written as numbers of the locale ("7 260 bulletins").
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s), ngettext=count_ngettext,
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n))
