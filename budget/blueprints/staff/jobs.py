"""Background jobs started by staff: a PDF report or another export, the tally of a large
cycle. The job's page shows its state to the staff member who started it (404 to anyone
else) and, once an export is ready, its download."""
from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from budget import jobs
from budget.blueprints.results.views import _visible_run
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.proposals.forms import ConfirmForm
from budget.services import exports, tally


def _own_job(job_id: str) -> jobs.JobStatus:
    job = jobs.find(job_id)
    if job is None or job.started_by != current_user.id:
        abort(404)
    return job


@bp.route("/cycles/<int:cycle_id>/exports/<format_name>", methods=["POST"])
def prepare_export(cycle_id: int, format_name: str):
    if format_name not in exports.FORMATS or not ConfirmForm().validate_on_submit():
        abort(400)
    cycle, run, preview = _visible_run(cycle_id)
    job_id = jobs.enqueue("export_report", cycle.id, run.id, format_name, preview,
                          started_by=current_user.id)
    return redirect(url_for("staff.job_page", job_id=job_id))


def tally_in_background(cycle) -> str | None:
    """Start the tally as a job when the cycle is large and a worker serves the queue; the
    job's id, or None for the caller to tally in the request as usual."""
    large = tally.ballot_count(cycle) >= current_app.config["TALLY_JOB_MIN_BALLOTS"]
    if not (large and current_app.config.get("REDIS_URL")):
        return None
    return jobs.enqueue("run_tally", cycle.id, current_user.id, started_by=current_user.id)


@bp.route("/jobs/<job_id>")
def job_page(job_id: str):
    return render_template("staff/job.html", job=_own_job(job_id))


@bp.route("/jobs/<job_id>/download")
def job_download(job_id: str):
    job = _own_job(job_id)
    if job.state != "finished" or not isinstance(job.result, dict) or "data" not in job.result:
        abort(404)
    return Response(job.result["data"], mimetype=job.result["mimetype"], headers={
        "Content-Disposition": f'attachment; filename="{job.result["filename"]}"',
        "Cache-Control": "no-store"})
