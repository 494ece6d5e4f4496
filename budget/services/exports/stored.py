"""Published exports, built once and then served from disk: a cache, and why it is safe.

Anyone may download a published run's files, and building them is the costly part (issue 15:
the Warszawa PDF took 0.86 s, its .pb weighs 2.3 MB). A published run never changes (a recount
is a new run), so neither do its files: each (run, file, language) is built at its first
download, stored under EXPORT_CACHE_FOLDER, and read back afterwards; nothing is ever
invalidated. The folder name carries the run's fingerprint as well as its id, so a run id
reused after restoring an older backup cannot serve another run's file.

A council's decision recorded after publication (services/adoption.py) does change the report,
the XLSX and the open data: the stored name of the results files carries the state of the
decisions (`results-adoption-<last id>.pdf`, results/exports.py), so the next download builds
the new file. Decisions are only ever added, never edited, so the last id says it all.

Limits: the cycle's title, the commune names and the projects' themes are read when the file
is built; renaming them after publication does not change files already built (delete the
folder to rebuild). Previews
(unpublished runs, staff only) are built at each download and never stored.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from flask import current_app

from budget.services.exports.report import RunReport


def stored_export(report: RunReport, name: str, language: str,
                  build: Callable[[], bytes]) -> Path | bytes:
    """The file `name` ("results.pdf", "envelope-12.pb"...) of the report's run in `language`: the
    stored file's path once it is stored (build() runs at the first call only), else the
    bytes build() returns (a preview, or no EXPORT_CACHE_FOLDER configured)."""
    folder = current_app.config.get("EXPORT_CACHE_FOLDER")
    if report.preview or not folder:
        return build()
    run = report.run
    path = Path(folder) / f"run-{run.id}-{run.fingerprint[:16]}" / f"{language}-{name}"
    if path.is_file():
        return path
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then renamed: a concurrent download reads the whole file or builds its
    # own; two first downloads at once both build, and the last rename wins (same content).
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
