"""Read-only JSON API: cycles, their proposals and, once published, their results.

Nothing here shows a count before publication, nor anything about a voter.
"""
from flask import abort, jsonify, request
from flask_babel import gettext

from budget.blueprints.api.blueprint import bp
from budget.blueprints.api.errors import is_api_request
from budget.blueprints import subjects
from budget.blueprints.api.openapi import OPENAPI
from budget.blueprints.api.serializers import cycle_json, proposal_json, tracking_json
from budget.blueprints.public.list_filters import filters_from
from budget.blueprints.public.views import public_statuses
from budget.extensions import db
from budget.services import cycles, discussion, finding, supports, themes, tracking_read
from budget.services.results import summarize
from budget.read_replica import replica_readable


@bp.route("/cycles")
@replica_readable
def list_cycles():
    return jsonify({"cycles": [cycle_json(c) for c in cycles.all_cycles()]})


@bp.route("/cycles/<int:cycle_id>")
@replica_readable
def get_cycle(cycle_id: int):
    return jsonify(cycle_json(subjects.cycle(cycle_id)))


@bp.route("/cycles/<int:cycle_id>/proposals")
@replica_readable
def list_proposals(cycle_id: int):
    """The proposals the public sees, searched (`q`), filtered (`theme`, `commune`, `status`)
    and sorted (`sort`; "random" is in a fixed order of its own, seed 1, for programs); a
    parameter that cannot be read is a 400 naming it."""
    cycle = subjects.cycle(cycle_id)
    statuses = public_statuses(cycle.phase())
    filters, wrong = filters_from(
        request.args, finding.status_choices(cycle, statuses),
        {c.id for c in cycle.intercommunality.communes},
        {t.id for t in themes.themes_of(cycle)})
    if wrong:
        return jsonify({"error": "bad request", "message": gettext(
            "These parameters cannot be read: %(names)s.", names=", ".join(wrong))}), 400
    found = list(db.session.scalars(finding.proposal_list(cycle, statuses, filters, seed=1)))
    counts = discussion.comment_counts(p.id for p in found)
    backing = supports.support_counts(p.id for p in found)
    return jsonify({"cycle_id": cycle.id, "proposals": [
        proposal_json(p, counts.get(p.id, 0), backing.get(p.id, 0)) for p in found]})


@bp.route("/cycles/<int:cycle_id>/results")
@replica_readable
def get_results(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    run = cycle.published_run or abort(404)
    summary = summarize(cycle, run)
    return jsonify({
        "cycle_id": cycle.id, "rule": run.rule, "tie_break": summary.tie_break,
        "fingerprint": run.fingerprint, "published_at": run.published_at.isoformat() + "Z",
        "ballots": summary.ballots, "amount_eur": summary.amount, "spent_eur": summary.spent,
        "envelopes": [{
            "id": e.id, "commune_id": e.commune_id, "amount_eur": e.amount,
            "spent_eur": e.spent, "ballots": e.voters, "fingerprint": e.fingerprint,
            "projects": [{"id": p.id, "title": p.title, "cost_eur": p.cost,
                          "votes": p.votes, "funded": p.selected}
                         for p in e.projects],
        } for e in summary.envelopes],
    })


@bp.route("/cycles/<int:cycle_id>/tracking")
@replica_readable
def get_tracking(cycle_id: int):
    """Each winner's delivery, once the results are published (404 before)."""
    cycle = subjects.cycle(cycle_id)
    if cycle.published_run is None:
        abort(404)
    return jsonify({"cycle_id": cycle.id, "projects": [
        tracking_json(record) for record in tracking_read.of_cycle(cycle)]})


@bp.route("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@bp.after_app_request
def readable_from_any_site(response):
    """CORS: a page on another site (a newsroom's chart) may read these public documents, and
    the API's errors (an address no route matches included, hence app-wide, on the path).
    Reads only, and no credentials: `*` makes browsers send no cookie, so nothing private
    could be read this way even if a route here ever showed more to a signed-in person."""
    if request.method in ("GET", "HEAD") and is_api_request():
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response
