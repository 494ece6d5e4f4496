"""The "Method" of a report in plain words: how the rule picks projects, how ties are broken,
and how anyone can check the result. English msgids; French comes from the catalogue."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from budget.templating import TIE_BREAKS, rule_label

RULE_EXPLANATIONS = {
    "greedy": lazy_gettext(
        "Projects are ranked by their number of votes. Starting with the most voted, each "
        "project is funded if the money left in its envelope covers its cost; a project that "
        "no longer fits is passed over, and the next one is examined, until no project fits."),
    "greedy-cardinality": lazy_gettext(
        "Projects are ranked by their number of votes per euro they cost. Starting at the top "
        "of that ranking, each project is funded if the money left in its envelope covers its "
        "cost; a project that no longer fits is passed over."),
    "greedy-no-skip": lazy_gettext(
        "Projects are ranked by their number of votes. Starting with the most voted, projects "
        "are funded one after the other; the count stops at the first project that the money "
        "left in the envelope does not cover."),
    "greedy-threshold": lazy_gettext(
        "Only projects that reached the minimum number of votes are considered. They are "
        "ranked by their number of votes and funded in that order while the money left in the "
        "envelope covers their cost; a project that no longer fits is passed over."),
    "greedy-score": lazy_gettext(
        "Projects are ranked by the score published with them (for ranked ballots, the points "
        "each ranking gives). Starting with the highest, each project is funded if the money "
        "left in its envelope covers its cost; a project that no longer fits is passed over."),
    "mes-add1-net": lazy_gettext(
        "Method of Equal Shares: the envelope is shared equally among the voters, and a project "
        "is funded when its supporters can pay for it together out of their shares. Each "
        "voter's share is then raised one euro at a time, the count redone each time, and the "
        "last result that fits in the envelope is kept (as equalshares.net computes it)."),
    "mes-comparison": lazy_gettext(
        "Two results are computed: the Method of Equal Shares (each group of voters decides "
        "over a part of the money in proportion to its size) and most votes first. Each voter "
        "prefers the result that funds more of the projects they chose; most votes first is "
        "kept only if strictly more voters prefer it."),
    "mes-add1-net-comparison": lazy_gettext(
        "Two results are computed: the Method of Equal Shares with shares raised one euro at a "
        "time (as equalshares.net computes it) and most votes first. Each voter prefers the "
        "result that funds more of the projects they chose; most votes first is kept only if "
        "strictly more voters prefer it."),
    "mes": lazy_gettext(
        "Method of Equal Shares: the envelope is shared equally among the voters. A project is "
        "funded when its supporters can pay for it together out of their shares; at each step, "
        "the project that costs its supporters the least is funded first. Each group of voters "
        "thus decides over a part of the money in proportion to its size."),
    "mes-cardinality": lazy_gettext(
        "Method of Equal Shares, each funded project counting the same for its supporters: the "
        "envelope is shared equally among the voters, and a project is funded when its "
        "supporters can pay for it together out of their shares."),
    "mes-points": lazy_gettext(
        "Method of Equal Shares by points: the envelope is shared equally among the voters, and "
        "a project is funded when its supporters can pay for it out of their shares, in "
        "proportion to the points they gave it."),
    "mes-greedy": lazy_gettext(
        "Method of Equal Shares (the envelope is shared equally among the voters; a project is "
        "funded when its supporters can pay for it together out of their shares), then the "
        "money left funds the most voted projects that still fit."),
    "mes-add1": lazy_gettext(
        "Method of Equal Shares: the envelope is shared equally among the voters, and a project "
        "is funded when its supporters can pay for it together out of their shares. While "
        "money is left, each voter's share is raised by one euro and the count is redone; the "
        "money still left then funds the most voted projects that fit."),
    "phragmen": lazy_gettext(
        "Phragmén's sequential method: voters earn money at the same pace, and a project is "
        "funded as soon as its supporters together have earned its cost; the count stops at "
        "the first such project that the money left in the envelope does not cover."),
    "max-welfare": lazy_gettext(
        "The set of projects that fits in the envelope and gives the greatest total "
        "satisfaction (each project counting its cost times its number of votes) is funded."),
}


def rule_paragraph(rule: str) -> str:
    """'Rule: <label>.' followed by how the rule works."""
    explanation = RULE_EXPLANATIONS.get(rule)
    heading = gettext("Rule: %(rule)s.", rule=rule_label(rule))
    return f"{heading} {explanation}" if explanation else heading


def tie_break_paragraph(tie_break: str) -> str:
    return gettext("Projects with the same number of votes are separated this way: "
                   "%(tie_break)s.", tie_break=TIE_BREAKS.get(tie_break, tie_break))


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
