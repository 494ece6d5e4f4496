"""The audit log in words: what an entry's action, subject, author and changes say to an admin.

The log itself stores developer names ("account.role", "users" 307, raw JSON): they are what
the hash chain covers and what the JSON download gives. Here they become "Role changed",
"account no. 307", "Intercommunal staff" and a list "field: before → after".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l

from budget.blueprints.admin.people_forms import ROLE_LABELS
from budget.blueprints.staff.eligibility_forms import PROOFS
from budget.blueprints.staff.setup_forms import VOTE_FORMATS
from budget.domain.delivery import STAGE_LABELS, Stage
from budget.templating import ADOPTION_OUTCOMES, STATUS_LABELS, euros, number, rule_label

ACTIONS = {
    "account.role": _l("Role changed"),
    "adoption.record": _l("Council decision recorded"),
    "account.second_factor_remove": _l("Second factor removed"),
    "cycle.create": _l("Cycle created"),
    "cycle.update": _l("Cycle settings changed"),
    "cycle.close_vote": _l("Vote closed early"),
    "cycle.close_supports": _l("Supports phase closed"),
    "cycle.import": _l("Past election imported"),
    "envelope.configure": _l("Envelope limits set"),
    "eligibility.configure": _l("Eligibility rules set"),
    "eligibility.list_upload": _l("Census list uploaded"),
    "eligibility.codes_generate": _l("Access codes generated"),
    "eligibility.codes_withdraw": _l("Access codes withdrawn"),
    "eligibility.paper_voter": _l("Paper voter recorded"),
    "eligibility.purge": _l("Eligibility data deleted"),
    "kiosk.add_station": _l("Polling station added"),
    "kiosk.open": _l("Kiosk opened"),
    "kiosk.revoke": _l("Kiosk revoked"),
    "kiosk.unlock": _l("Kiosk unlock issued"),
    "paper.create_batch": _l("Paper batch created"),
    "paper.start_entry": _l("Paper entry started"),
    "paper.enter_ballot": _l("Paper ballot typed"),
    "paper.validate": _l("Paper batch validated"),
    "proposal.review": _l("Proposal reviewed"),
    "proposal.unsupported": _l("Proposal left out for insufficient supports"),
    "tally.run": _l("Tally run"),
    "tally.publish": _l("Results published"),
    "territory.import": _l("Territories imported"),
    "tracking.create": _l("Winners' tracking records created"),
    "tracking.update": _l("Project delivery updated"),
    "tracking.merge": _l("Project merged into another (delivery)"),
    "tracking.milestone": _l("Delivery milestone added"),
    "tracking.milestone_remove": _l("Delivery milestone removed"),
    "tracking.evaluation": _l("Evaluation published"),
    "evaluation.hide": _l("Evaluation comment hidden"),
    "evaluation.restore": _l("Evaluation comment restored"),
}

# The table a subject lives in -> its name with its number.
SUBJECTS = {
    "users": _l("account no. %(id)s"),
    "budget_cycles": _l("cycle no. %(id)s"),
    "envelopes": _l("envelope no. %(id)s"),
    "proposals": _l("proposal no. %(id)s"),
    "communes": _l("commune no. %(id)s"),
    "intercommunalities": _l("intercommunality no. %(id)s"),
    "tally_runs": _l("tally run no. %(id)s"),
    "paper_batches": _l("paper batch no. %(id)s"),
    "paper_entries": _l("paper entry no. %(id)s"),
    "paper_entry_ballots": _l("typed paper ballot %(id)s"),
    "project_trackings": _l("tracking record no. %(id)s"),
    "council_adoptions": _l("council decision no. %(id)s"),
    "evaluation_answers": _l("evaluation answer no. %(id)s"),
    "polling_stations": _l("polling station no. %(id)s"),
}

OPERATOR_ROLE = "operator"  # services/audit.py: the command line's role in the log

FIELDS = {
    "title": _l("title"), "description": _l("description"), "commune_id": _l("commune"),
    "proposals_start": _l("proposals open"), "supports_start": _l("supports open"),
    "support_threshold": _l("supports threshold"), "threshold": _l("supports threshold"),
    "supports": _l("supports"), "left_out": _l("proposals left out"),
    "kept": _l("proposals kept"),
    "review_start": _l("review starts"),
    "vote_start": _l("vote opens"), "vote_end": _l("vote closes"),
    "vote_format": _l("vote format"), "vote_params": _l("vote limits"),
    "tally_rule": _l("tally rule"), "rule": _l("tally rule"),
    "total_amount": _l("total amount"), "amount": _l("amount"), "envelopes": _l("envelopes"),
    "intercommunal": _l("intercommunal"), "status": _l("status"),
    "final_cost": _l("final cost"), "cost_justification": _l("cost justification"),
    "rejection_reason": _l("reason for rejection"), "merged_into_id": _l("merged into"),
    "role": _l("role"), "workplace": _l("works for"), "rules": _l("rules"),
    "declarations": _l("declarations"), "list_entries": _l("census list entries"),
    "codes": _l("access codes"), "codes_made": _l("codes generated"),
    "codes_withdrawn": _l("codes withdrawn"), "added": _l("people added"),
    "already_listed": _l("people already listed"), "identified_by": _l("identified by"),
    "kiosk": _l("kiosk"),
    "intercommunalities_created": _l("intercommunalities created"),
    "communes_created": _l("communes created"), "communes_updated": _l("communes updated"),
    "fingerprint": _l("fingerprint"), "ballots": _l("ballots"),
    "ballots_by_channel": _l("ballots by channel"), "published_at": _l("published on"),
    "files": _l("files"), "projects": _l("projects"), "label": _l("label"),
    "declared_count": _l("ballots declared"), "batch_id": _l("batch"),
    "number": _l("entry number"), "entry": _l("entry"), "position": _l("position"),
    "kind": _l("kind"), "choices": _l("choices"), "blank": _l("blank ballots"),
    "spoiled": _l("spoiled ballots"),
    "min_choices": _l("fewest projects"), "max_choices": _l("most projects"),
    "total_points": _l("points to share"), "max_per_project": _l("most points per project"),
    "min_share_percent": _l("least share of the envelope spent, in percent"),
    "minimum_age": _l("minimum age"),
    "reference_date": _l("age reached on"), "proof": _l("proof of the right to vote"),
    "sworn_residence": _l("sworn residence"),
    "stage": _l("stage"), "progress": _l("progress, in percent"),
    "committed_eur": _l("money committed"), "spent_eur": _l("money spent"),
    "amount_voted_eur": _l("amount voted"), "planned_delivery": _l("planned delivery"),
    "delivered_on": _l("delivered on"), "abandon_reason": _l("reason for abandoning"),
    "service": _l("service in charge"), "delivering_commune_id": _l("delivered by commune"),
    "proposal_id": _l("proposal"), "milestone_id": _l("milestone"),
    "happened_on": _l("date"), "text": _l("text"), "photos": _l("photos"),
    "run_id": _l("tally run"), "body": _l("council"), "session_date": _l("session date"),
    "deliberation_number": _l("deliberation number"), "outcome": _l("decision"),
    "pdf_bytes": _l("size of the deliberation's PDF, in bytes"),
}
# Settings whose values are names: the labels the forms show for them.
CHOICE_LABELS = {"vote_format": {c.value: c.label for c in VOTE_FORMATS},
                 "proof": {c.value: c.label for c in PROOFS},
                 "kind": {"valid": _l("valid"), "blank": _l("blank"), "spoiled": _l("spoiled")},
                 "identified_by": {"code": _l("Access code"), "list": _l("census list")},
                 "outcome": ADOPTION_OUTCOMES,
                 "body": {"community": _l("conseil communautaire"),
                          "municipal": _l("conseil municipal")}}
MONEY_FIELDS = frozenset({"total_amount", "amount", "final_cost", "committed_eur", "spent_eur",
                          "amount_voted_eur"})
ISO_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$")
LONGEST_TEXT = 300


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the entry has no "before" (something was created or done)
    after: str | None  # None: the entry has no "after", or the field is gone


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def subject_label(subject_type: str | None, subject_id: str | None) -> str:
    if subject_type is None:
        return ""
    label = SUBJECTS.get(subject_type)
    if label is None:
        return f"{subject_type} {subject_id or ''}".strip()
    return label % {"id": subject_id or "?"}


def role_label(role: str) -> str:
    if role == OPERATOR_ROLE:
        return gettext("command line")
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def actor_label(entry) -> str:
    """'Camille Martin (Intercommunal staff, account no. 12)', or the command line."""
    if entry.actor_id is None and entry.actor_role == OPERATOR_ROLE:
        return gettext("System operator (command line)")
    account = SUBJECTS["users"] % {"id": entry.actor_id}
    return f"{entry.actor_name} ({role_label(entry.actor_role)}, {account})"


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """What changed, field by field (nested settings flattened, "envelopes › 12 › amount"):
    only the fields that differ when the entry has both states, every field otherwise."""
    old, new = _flatten(before or {}), _flatten(after or {})
    keys = list(new) + [key for key in old if key not in new]
    listed = []
    for key in keys:
        if before is not None and after is not None and old.get(key) == new.get(key):
            continue
        listed.append(Change(
            " › ".join(_field_name(part) for part in key),
            None if before is None else _value(key, old.get(key)),
            None if after is None else _value(key, new.get(key))))
    return listed


def _flatten(data: dict, prefix: tuple = ()) -> dict[tuple, object]:
    flat: dict[tuple, object] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, (*prefix, str(key))))
        else:
            flat[(*prefix, str(key))] = value
    return flat


def _field_name(part: str) -> str:
    label = FIELDS.get(part)
    if label is not None:
        return str(label)
    return SUBJECTS["communes"] % {"id": part} if part.isdigit() else part


def _value(key: tuple, value) -> str:
    field = key[-1]
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, (int, float)):
        return euros(value) if field in MONEY_FIELDS else number(value)
    if isinstance(value, str):
        return _text_value(field, value)
    if isinstance(value, list):
        return ", ".join(_value(key, item) for item in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _text_value(field: str, value: str) -> str:
    if field == "role":
        return role_label(value)
    if field == "status" and value in STATUS_LABELS:
        return str(STATUS_LABELS[value])
    if field == "stage" and value in {stage.value for stage in Stage}:
        return gettext(STAGE_LABELS[Stage(value)])
    if field in ("rule", "tally_rule"):
        return rule_label(value)
    if value in CHOICE_LABELS.get(field, {}):
        return str(CHOICE_LABELS[field][value])
    if ISO_INSTANT.match(value):
        return format_datetime(datetime.fromisoformat(value), "d MMMM y, HH:mm")
    return value if len(value) <= LONGEST_TEXT else value[:LONGEST_TEXT] + "…"
