"""The audit log, for admins: browse and filter, newest first."""
from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from budget.blueprints.admin import bp
from budget.blueprints.admin.forms import AuditFilterForm
from budget.blueprints.numbers import bounded_int
from budget.extensions import db
from budget.models.time import to_utc
from budget.services import audit

PER_PAGE = 50


def _day_start(day) -> datetime | None:
    """Midnight in Paris on `day`, as naive UTC."""
    return to_utc(datetime.combine(day, time())) if day else None


@bp.route("/audit")
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _l("All actions"))] + [(a, a) for a in audit.actions()]
    criteria = audit.AuditFilter()
    if form.validate():
        criteria = audit.AuditFilter(
            cycle_id=form.cycle.data, actor=form.actor.data or None,
            action=form.action.data or None, since=_day_start(form.since.data),
            until=_day_start(form.until.data + timedelta(days=1)) if form.until.data else None)
    page = db.paginate(audit.search(criteria), per_page=PER_PAGE, error_out=False,
                       page=request.args.get("page", 1, type=bounded_int))
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    status = 422 if form.errors else 200
    return render_template("admin/audit.html", form=form, page=page,
                           arguments=arguments), status
