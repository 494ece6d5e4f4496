"""Every envelope's `.pb` file of a run in one ZIP: what `flask budget verify` checks against
the run's fingerprint (the results page offers it as one download)."""
from __future__ import annotations

import io
import zipfile

from budget.services.exports.pabulib_export import pb_filename, render_pb
from budget.services.exports.report import RunReport

ZIP_MIMETYPE = "application/zip"


def zip_filename(report: RunReport) -> str:
    """`resultats-cycle-3-pabulib.zip` ('-apercu' for a preview)."""
    preview = "-apercu" if report.preview else ""
    return f"resultats-cycle-{report.cycle.id}-pabulib{preview}.zip"


def render_pb_zip(report: RunReport) -> bytes:
    """A ZIP of one `.pb` per envelope, named as the single downloads are. Entries are dated
    with the run's creation (not today), at the top level of the archive."""
    stamp = report.run.created_at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for envelope in report.envelopes:
            entry = zipfile.ZipInfo(pb_filename(report, envelope.id), date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, render_pb(report, envelope.id))
    return out.getvalue()
