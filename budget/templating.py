"""What templates may call: formatting for the French locale, and the policy."""
from __future__ import annotations

from flask import Flask
from flask_babel import (format_date, format_datetime, get_locale, get_translations, gettext,
                         lazy_gettext)
from flask_login import current_user

from budget.domain.phases import Phase
from budget.formatting import count_ngettext, euros, euros_cents, number, percent, punctuation
from budget.links import site_url
from budget.services import cycles, policy
from budget.services.provenance import source_paragraph

PHASE_LABELS = {
    Phase.UPCOMING: lazy_gettext("Not open yet"),
    Phase.PROPOSALS: lazy_gettext("Proposals open"),
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
}


TIE_BREAKS = {
    "lowest-cost-most-votes-oldest": lazy_gettext(
        "among projects with equal votes, the cheaper one first, then the one with more votes, "
        "then the older proposal"),
}

RULE_LABELS = {
    "greedy": lazy_gettext("most votes first, skipping projects that no longer fit"),
    "greedy-cardinality": lazy_gettext("most votes per euro first"),
    "greedy-no-skip": lazy_gettext("most votes first, stopping at the first project that "
                                   "does not fit"),
    "greedy-threshold": lazy_gettext("most votes first, among projects above a threshold"),
    "mes": lazy_gettext("Method of Equal Shares"),
    "mes-cardinality": lazy_gettext("Method of Equal Shares (one point per project)"),
    "mes-points": lazy_gettext("Method of Equal Shares (by points)"),
    "mes-greedy": lazy_gettext("Method of Equal Shares, completed by votes"),
    "mes-add1": lazy_gettext("Method of Equal Shares with the “Add1” completion"),
    "greedy-score": lazy_gettext("highest score first (the score published with each project)"),
    "mes-add1-net": lazy_gettext("Method of Equal Shares with shares raised euro by euro, as "
                                 "on equalshares.net"),
    "mes-comparison": lazy_gettext("Method of Equal Shares, or most votes first if more voters "
                                   "prefer it"),
    "mes-add1-net-comparison": lazy_gettext("Method of Equal Shares with shares raised euro by "
                                            "euro, or most votes first if more voters prefer it"),
    "phragmen": lazy_gettext("Phragmén's sequential method"),
    "max-welfare": lazy_gettext("greatest total satisfaction"),
}


def rule_label(name: str) -> str:
    label = RULE_LABELS.get(name)
    return f"{label} ({name})" if label else name


def envelope_label(envelope) -> str:
    """An Envelope or a stored result row: the commune's name, or 'Intercommunal'."""
    name = getattr(envelope, "commune", None)
    if name is not None:
        return name.name
    if isinstance(envelope, dict) and envelope.get("commune_id") is not None:
        return envelope["name"]
    return gettext("Intercommunal envelope")


def outcome_text(row: dict) -> str:
    # Imported here: the exports' wording module itself formats money with this module.
    from budget.services.exports.report import project_line

    return project_line(row).outcome_text()


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=lambda action, cycle, target=None: policy.can(
            current_user, policy.Action(action), cycle, target),
        concerns=lambda action, cycle, target=None: policy.concerns(
            current_user, policy.Action(action), cycle, target),
        # The header lists, for those who have no staff pages, what the policy lets them do.
        all_cycles=cycles.all_cycles,
        may_read_proposal=lambda proposal: policy.may_read_proposal(current_user, proposal),
        phase_label=lambda phase: PHASE_LABELS[phase],
        status_label=lambda status: STATUS_LABELS[getattr(status, "value", status)],
        envelope_label=envelope_label,
        rule_label=rule_label,
        # One wording for a project's outcome, on pages and in exports alike.
        outcome_text=outcome_text,
        site_url=site_url,
        tie_break_label=lambda key: TIE_BREAKS.get(key, key),
        Phase=Phase,
        get_locale=get_locale,
        percent=percent,
        punctuation=punctuation,
        source_paragraph=source_paragraph,
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
