"""The audit log, for admins: browse and filter, newest first; the raw entries as JSON."""
from datetime import datetime, time, timedelta

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from budget.blueprints.admin import wording
from budget.blueprints.admin.blueprint import bp
from budget.blueprints.admin.forms import AuditFilterForm
from budget.blueprints.pagination import paginate
from budget.models.time import to_utc
from budget.services import audit


def _day_start(day) -> datetime | None:
    """Midnight in Paris on `day`, as naive UTC."""
    return to_utc(datetime.combine(day, time())) if day else None


@bp.route("/audit")
def audit_log():
    form = _filter_form()
    criteria = _criteria(form) if form.validate() else audit.AuditFilter()
    page = paginate(audit.search(criteria))
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    status = 422 if form.errors else 200
    return render_template("admin/audit.html", form=form, page=page,
                           arguments=arguments), status


@bp.route("/audit/entries.json")
def audit_log_json():
    """The entries of the page the same filters show, as stored (with their hashes), to
    download: what the page writes in words, in the log's own names."""
    form = _filter_form()
    if not form.validate():
        return jsonify(errors=form.errors), 422
    page = paginate(audit.search(_criteria(form)))
    response = jsonify([{**entry.fields(), "previous_hash": entry.previous_hash,
                         "hash": entry.hash} for entry in page.items])
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.json"'
    return response


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _l("All actions"))] + [
        (action, wording.action_label(action)) for action in audit.actions()]
    return form


def _criteria(form: AuditFilterForm) -> audit.AuditFilter:
    return audit.AuditFilter(
        cycle_id=form.cycle.data, actor=form.actor.data or None,
        action=form.action.data or None, since=_day_start(form.since.data),
        until=_day_start(form.until.data + timedelta(days=1)) if form.until.data else None)


@bp.context_processor
def _entry_wording() -> dict:
    return {"action_label": wording.action_label, "subject_label": wording.subject_label,
            "actor_label": wording.actor_label, "audit_changes": wording.changes}
