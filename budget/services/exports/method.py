"""The "Method" of a report in plain words: how the rule picks projects, how ties are broken,
and how anyone can check the result. English msgids; French comes from the catalogue."""
from __future__ import annotations

from flask_babel import gettext

from budget.domain.tally import RULES
from budget.templating import TIE_BREAKS, plain_rule_label, rule_explanation


def rule_paragraph(rule: str) -> str:
    """'Rule: <label>.' followed by how the rule works."""
    heading = gettext("Rule: %(rule)s.", rule=plain_rule_label(rule))
    return f"{heading} {rule_explanation(rule)}" if rule in RULES else heading


def tie_break_paragraph(tie_break: str) -> str:
    return gettext("When the rule cannot separate two projects (for example two projects "
                   "with the same number of votes), it takes %(tie_break)s.",
                   tie_break=TIE_BREAKS.get(tie_break, tie_break))


def verification_paragraph(rule: str) -> str:
    """How anyone recounts an envelope: `flask budget verify` on its Pabulib file."""
    return gettext(
        "The fingerprints below are SHA-256 digests of everything the count used: the "
        "anonymous ballots of each envelope, the costs, the amounts, the rule, the tie order "
        "and the version of the counting engine. Anyone can count again and compare: download "
        "the Pabulib file of an envelope (published with these results, ballots anonymised) "
        "and run “flask budget verify FILE.pb --rule %(rule)s --fingerprint FINGERPRINT” with "
        "the fingerprint of that envelope; the command recounts it and says whether the "
        "fingerprint and the winning projects match.", rule=rule)
