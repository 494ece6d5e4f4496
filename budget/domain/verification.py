"""Checking a published fingerprint from the published `.pb` files (`flask budget verify`).

Plain data in, plain data out: the command reads the files and prints. A run's fingerprint
combines its envelopes' by envelope id (fingerprint.run_fingerprint); each export carries its
envelope id and the ids of every envelope of its run in META (budget.domain.recount), so:

- every envelope file of a run (the results page's folder) gives the run fingerprint;
- one file gives its envelope fingerprint, and the run fingerprint when the run has only this
  envelope.

What differs is said in words: which file no longer gives its own META fingerprint, which
project's vote count in PROJECTS no longer matches the VOTES section (a changed ballot line),
which envelope of the run is missing, which rule or engine version the files name.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from budget.domain import recount
from budget.domain.fingerprint import ENGINE_VERSION, envelope_fingerprint, run_fingerprint
from budget.domain.pabulib import PabulibFile
from budget.domain.tally import Outcome, tally


class NotVerifiable(ValueError):
    """The files cannot be checked as given (no rule, different rules, a file without its
    envelope id in a folder, a rule the files cannot be tallied with)."""


@dataclass
class EnvelopeCheck:
    """One file re-run: its winners and the fingerprint its data gives."""

    name: str
    pabulib: PabulibFile
    facts: dict[str, str]  # the recount facts of its META
    outcome: Outcome
    fingerprint: str  # what the file's projects, budget, ballots and tie order give
    tie_order_known: bool

    @property
    def envelope_id(self) -> str | None:
        return self.facts.get("envelope_id")


@dataclass
class Verdict:
    match: bool
    what: str  # "envelope" or "run": which fingerprint the files give when they match
    computed: str  # the fingerprint compared with the expected one
    differences: list[str] = field(default_factory=list)


def rule_of(files: list[tuple[str, PabulibFile]], given: str | None) -> tuple[str, bool]:
    """(rule, read_from_meta): the given rule, else the one every file's META names
    (engine_rule). Raises NotVerifiable when there is none or the files disagree."""
    if given:
        return given, False
    named = {recount.decode(pb.meta).get("engine_rule") for _, pb in files}
    if None in named:
        missing = [name for name, pb in files if not recount.decode(pb.meta).get("engine_rule")]
        raise NotVerifiable(f"{', '.join(missing)}: META names no engine_rule; give --rule")
    if len(named) > 1:
        raise NotVerifiable(f"the files name different rules ({', '.join(sorted(named))}); "
                            "a run has one: give --rule")
    return named.pop(), True


def check_envelope(name: str, pb: PabulibFile, rule: str) -> EnvelopeCheck:
    """Re-run one file's tally with its recount tie order (else pabutools' default: ids as
    text). Raises ValueError (InvalidElection, RuleNotApplicable) from the engine."""
    facts = recount.decode(pb.meta)
    text = facts.get("tie_order", "").strip()
    tie_order = [pid.strip() for pid in text.split(",") if pid.strip()] if text else None
    outcome = tally(rule, pb.election, tie_order=tie_order)
    fingerprint = envelope_fingerprint(rule, pb.election, tie_order or sorted(pb.election.costs))
    return EnvelopeCheck(name, pb, facts, outcome, fingerprint, tie_order is not None)


def vote_count_differences(check: EnvelopeCheck) -> list[str]:
    """Projects whose PROJECTS `votes` no longer match the VOTES section: the trace of a
    ballot line changed by hand (the export writes both from the same ballots)."""
    counted: Counter = Counter()
    for ballot, count in check.pabulib.election.ballots:
        for pid in ballot:
            counted[pid] += count
    found = []
    for pid, cells in check.pabulib.projects.items():
        stated = cells.get("votes", "").strip()
        if stated.isdigit() and int(stated) != counted[pid]:
            found.append(f"{check.name}: project {pid} has {stated} votes in PROJECTS but "
                         f"{counted[pid]} ballots in VOTES choose it (a ballot line was changed)")
    return found


def winner_differences(check: EnvelopeCheck) -> list[str]:
    """The re-run's winners against the PROJECTS `selected` column, when there is one."""
    projects = check.pabulib.projects
    if not all("selected" in cells for cells in projects.values()):
        return []
    marked = {pid for pid, cells in projects.items() if cells["selected"] == "1"}
    rerun = set(check.outcome.selected)
    if marked == rerun:
        return []
    return [f"{check.name}: winners: the file marks {sorted(marked - rerun)} selected but the "
            f"re-run does not, and the re-run selects {sorted(rerun - marked)} that the file "
            "does not"]


def _file_differences(check: EnvelopeCheck, rule: str) -> list[str]:
    """What a file's META says that its data or the rule used no longer agree with."""
    found, facts = [], check.facts
    if facts.get("engine_rule") and facts["engine_rule"] != rule:
        found.append(f"{check.name}: rule: the file was tallied with {facts['engine_rule']!r}, "
                     f"not {rule!r}")
    if facts.get("engine_version") and facts["engine_version"] != ENGINE_VERSION:
        found.append(f"{check.name}: engine: the file comes from engine version "
                     f"{facts['engine_version']}, this is version {ENGINE_VERSION}")
    declared = facts.get("fingerprint")
    if declared and declared != check.fingerprint and facts.get("engine_rule", rule) == rule:
        found.append(f"{check.name}: its projects, budget, ballots or tie order no longer give "
                     f"its META fingerprint {declared} (they give {check.fingerprint}): the "
                     "file was changed after the export")
        found += vote_count_differences(check)
    return found


def verify_one(check: EnvelopeCheck, rule: str, expected: str) -> Verdict:
    """One file against an envelope fingerprint, or the run fingerprint of a one-envelope
    run."""
    winners = winner_differences(check)
    if check.fingerprint == expected:
        return Verdict(not winners, "envelope", expected, winners)
    run_ids = [i for i in check.facts.get("run_envelopes", "").split(",") if i]
    if check.envelope_id and run_ids == [check.envelope_id]:
        computed = run_fingerprint({check.envelope_id: check.fingerprint})
        if computed == expected:
            return Verdict(not winners, "run", expected, winners)
    found = [f"fingerprint: expected {expected}, the file gives {check.fingerprint}"]
    found += _file_differences(check, rule)
    facts = check.facts
    if facts.get("fingerprint") == check.fingerprint:
        if facts.get("run_fingerprint") == expected and len(run_ids) > 1:
            found.append(f"the expected fingerprint is that of the whole run, which has "
                         f"{len(run_ids)} envelopes: verify the folder of all its .pb files")
            others = [i for i in run_ids if i != check.envelope_id]
            found.append(f"envelope(s) {', '.join(others)} of the run are missing from the "
                         "files")
        else:
            found.append("the file matches its own META fingerprint: the expected fingerprint "
                         "is that of another envelope, rule or run")
    elif facts.get("fingerprint") not in (None, expected, check.fingerprint) \
            and expected != facts.get("run_fingerprint"):
        found.append(f"the file's META fingerprint {facts['fingerprint']} is not the expected "
                     "one either")
    return Verdict(False, "envelope", check.fingerprint, found + winners)


def verify_run(checks: list[EnvelopeCheck], rule: str, expected: str) -> Verdict:
    """Every envelope file of a run against the run fingerprint. Raises NotVerifiable when a
    file has no envelope id (an export from before envelope ids were written) or two files
    are the same envelope."""
    if len(checks) == 1:
        return verify_one(checks[0], rule, expected)
    without = [c.name for c in checks if not c.envelope_id]
    if without:
        raise NotVerifiable(f"{', '.join(without)}: META has no envelope_id, so the run "
                            "fingerprint cannot be rebuilt; verify each file with its envelope "
                            "fingerprint")
    ids = Counter(c.envelope_id for c in checks)
    twice = sorted(i for i, n in ids.items() if n > 1)
    if twice:
        raise NotVerifiable(f"envelope(s) {', '.join(twice)} appear in more than one file")
    computed = run_fingerprint({c.envelope_id: c.fingerprint for c in checks})
    found = [] if computed == expected else [
        f"fingerprint: expected {expected}, the {len(checks)} files give {computed}"]
    named = {i for c in checks for i in c.facts.get("run_envelopes", "").split(",") if i}
    missing = sorted(named - set(ids), key=lambda i: (len(i), i))
    if missing and found:
        found.append(f"envelope(s) {', '.join(missing)} of the run are missing from the files")
    runs = {c.facts.get("run_fingerprint") for c in checks} - {None}
    if len(runs) > 1 and found:
        found.append("the files come from different runs (their META run_fingerprint differ)")
    if found:
        for check in checks:
            found += _file_differences(check, rule)
    for check in checks:
        found += winner_differences(check)
    return Verdict(not found, "run", computed, found)
