"""Backing up the whole database while the platform keeps serving, and restoring a backup.

SQLite: the online backup API copies a consistent snapshot, page by page, even while other
connections write; the copy is written next to the target and renamed, so a failed backup never
leaves a half-written file under the target's name. Restoring uses the same API the other way.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot) and `pg_restore --clean
--single-transaction` (all or nothing: on any error the database stays as it was). The client
tools must be installed and at least as new as the server. Tables that the backup does not
contain (added by a later migration) are left in place: restore a backup into the schema
version it was made with, then run `flask db upgrade`.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
# bandit B404: only to run pg_dump and pg_restore (see _run)
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy.engine import URL

from budget.models.time import utcnow

from budget.extensions import db


class BackupError(Exception):
    """The backup or the restore could not be done; the message says why, in plain words."""


def backup(target: str | os.PathLike) -> Path:
    """Write a consistent copy of the app's database to `target`; returns its path."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup file's path")
    url = db.engine.url
    partial = target.with_name(target.name + ".partial")
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _run("pg_dump", "--format=custom", "--no-owner", f"--file={partial}", url=url)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


# Rotated backups are named by their UTC time, so that their names sort as their ages; rotation
# only ever deletes files with such a name.
ROTATED_NAME = re.compile(r"budget-\d{8}T\d{6}Z\.backup")


def backup_rotated(folder: str | os.PathLike, keep: int, now=None) -> tuple[Path, list[Path]]:
    """Write a backup into `folder` as budget-YYYYMMDDTHHMMSSZ.backup, then delete the oldest
    such backups beyond the `keep` newest (keep >= 1). Returns (the new file, the deleted ones).
    Nothing is deleted when the backup fails (BackupError)."""
    folder = Path(folder)
    if keep < 1:
        raise BackupError("keep at least one backup")
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder")
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    path = backup(folder / f"budget-{stamp}.backup")
    rotated = sorted(p for p in folder.iterdir() if ROTATED_NAME.fullmatch(p.name))
    removed = rotated[:-keep]
    for old in removed:
        old.unlink()
    return path, removed


def restore(source: str | os.PathLike) -> None:
    """Replace the app's data by the backup's. Raises BackupError if `source` is not a backup
    of this platform (then nothing is changed)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps a lock or a stale view of the tables
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(source)
        _sqlite_copy(source, _sqlite_path(url))
    else:
        _run("pg_restore", "--list", str(source), url=None)  # refuses what is no dump
        _run("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", str(source), url=url)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source}: {error}") from None
    finally:
        copy.close()
        origin.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            healthy = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            versioned = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        healthy = versioned = False
    if not (healthy and versioned):
        raise BackupError(f"{source} is not a backup of this platform's SQLite database")


def _run(tool: str, *arguments: str, url: URL | None) -> None:
    """Run a PostgreSQL client tool on the app's database (url), password in the environment
    rather than on the command line."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} is not installed (PostgreSQL client tools are needed)")
    env = dict(os.environ)
    command = [program, *arguments]
    if url is not None:
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        libpq = url.set(drivername="postgresql", password=None)
        command.append(f"--dbname={libpq.render_as_string(hide_password=False)}")
    # bandit B603: a fixed program found on PATH, an argument list, no shell
    finished = subprocess.run(command, env=env, capture_output=True, text=True,  # nosec B603
                              check=False)
    if finished.returncode != 0:
        raise BackupError(f"{tool} failed: {finished.stderr.strip()[-2000:]}")
