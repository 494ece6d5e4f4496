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

Each stored file is served with a strong ETag, the SHA-256 of its bytes (`etag_of`), so browsers
and nginx's proxy_cache (deploy/nginx/budget-proxy.conf) revalidate it for a 304 instead of
downloading it again. The published results page is stored here too (results/shared_pages.py).

Limits: the cycle's title, the commune names and the projects' themes are read when the file
is built; renaming them after publication does not change files already built (delete the
folder to rebuild). Previews
(unpublished runs, staff only) are built at each download and never stored.
"""
from __future__ import annotations

import hashlib
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
    return stored_file(report.run, report.preview, name, language, build)


def stored_file(run, preview: bool, name: str, language: str,
                build: Callable[[], bytes]) -> Path | bytes:
    """As stored_export, for a caller that has not built the run's report: build() builds what
    it needs, and runs only when the file is not stored yet."""
    folder = current_app.config.get("EXPORT_CACHE_FOLDER")
    if preview or not folder:
        return build()
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


# (path, inode, size, mtime) -> ETag: a stored file is never written in place (a rebuild is a
# new file renamed over it, so a new inode), and hashing a 2 MB file costs a millisecond.
_etags: dict[tuple, str] = {}


def etag_of(data: Path | bytes) -> str:
    """A strong ETag for a stored file or built bytes: the first 32 hex digits of their SHA-256."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()[:32]
    status = data.stat()
    key = (str(data), status.st_ino, status.st_size, status.st_mtime_ns)
    if key not in _etags:
        if len(_etags) > 4096:
            _etags.clear()
        _etags[key] = hashlib.sha256(data.read_bytes()).hexdigest()[:32]
    return _etags[key]
