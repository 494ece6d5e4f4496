from flask import abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints.results.blueprint import bp
from budget.blueprints.results.forms import ReceiptForm
from budget.blueprints.results.shared_pages import (published_key, release, shareable_request,
                                                    shared_response)
from budget.extensions import limiter
from budget.services import adoption, results, stored_result, tally
from budget.services.exports.stored import stored_file
from budget.blueprints import subjects
from budget.services.policy import Action, can
from budget.read_replica import replica_readable


def _visible_run(cycle_id: int):
    """The published run for everyone; the latest unpublished one for staff and council."""
    cycle = subjects.cycle(cycle_id)
    if cycle.published_run is not None:
        return cycle, cycle.published_run, False
    if can(current_user, Action.PREVIEW_RESULTS, cycle):
        run = tally.latest_run(cycle)
        if run is not None:
            return cycle, run, True
    abort(404)


@bp.route("/cycles/<int:cycle_id>/results")
@replica_readable
def results_page(cycle_id: int):
    """Rendered for each signed-in person and for a preview; for anonymous visitors of a
    published run, rendered once per language and council decision, then served as stored
    (results/shared_pages.py)."""
    if shareable_request():
        key = published_key(cycle_id)
        if key is not None:
            page = stored_file(key, False, f"page-results{key.revision}-{release()}.html",
                               str(get_locale()), lambda: _render(cycle_id).encode())
            return shared_response(page, "text/html; charset=utf-8")
    return _render(cycle_id)


def _render(cycle_id: int) -> str:
    cycle, run, preview = _visible_run(cycle_id)
    return render_template("results/results.html", cycle=cycle, run=run, preview=preview,
                           summary=results.summarize(cycle, run),
                           adoptions=[] if preview else adoption.adoptions_of(run),
                           may_record=bool(adoption.bodies(current_user, cycle)))


@bp.route("/cycles/<int:cycle_id>/receipt", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def check_receipt(cycle_id: int):
    """After publication, a voter checks that their ballot is in the counted ballot box. An
    imported election has no receipts: there is nothing to check (404)."""
    cycle = subjects.cycle(cycle_id)
    if cycle.is_imported:
        abort(404)
    run = cycle.published_run or abort(404)
    form, chosen = ReceiptForm(), None
    if form.validate_on_submit():
        chosen = results.ballot_by_receipt(cycle, form.code.data)
        if chosen is None:
            form.code.errors.append(_("No ballot of this cycle has this receipt code. Check "
                                      "the code, letter by letter."))
    projects = [p for p in stored_result.read(run.result).projects if chosen and p.id in chosen]
    status = 422 if form.errors else 200
    return render_template("results/receipt.html", cycle=cycle, form=form,
                           projects=projects, found=chosen is not None), status
