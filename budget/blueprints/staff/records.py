"""The record of processing (GDPR register) of a cycle, as a PDF for the staff who run it."""
import io

from flask import send_file

from budget.blueprints import subjects
from budget.blueprints.staff.blueprint import bp
from budget.services import processing_record
from budget.services.policy import Action


@bp.route("/cycles/<int:cycle_id>/processing-record.pdf")
def processing_record_pdf(cycle_id: int):
    # fpdf, only when a record is asked for (not with every command of the application)
    from budget.services.exports.processing_record_pdf import record_filename, render_record_pdf

    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    record = processing_record.build(cycle)
    response = send_file(io.BytesIO(render_record_pdf(record)), mimetype="application/pdf",
                         as_attachment=True, download_name=record_filename(record))
    response.headers["Cache-Control"] = "no-store"
    return response
