"""A real server for the tests that need one: gunicorn with several worker processes (serving
tests/live/wsgi.py), on a real database of its own (a SQLite file, or a schema of its own in
the PostgreSQL test database named by BUDGET_TEST_DATABASE_URL), migrated and seeded; and a
small HTTP client.

The gunicorn command line is explicit and ignores any gunicorn.conf.py in the checkout: these
tests are about the application under several processes, not about production settings.
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

ROOT = Path(__file__).resolve().parents[2]
# Each database its own ports: .ci/run runs the SQLite and PostgreSQL suites side by side.
PORTS = range(18150, 18200) if os.environ.get("BUDGET_TEST_DATABASE_URL") else range(18100, 18150)
SECRET_KEY = "live-test-secret-key-that-is-long-enough"
SCHEMA = "live_test"
USER_AGENT = "budget-live-test"


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def database_url(tmp_path: Path) -> str:
    """A SQLite file in tmp_path, or the PostgreSQL test database seen through SCHEMA."""
    from config import _database_url

    postgres = os.environ.get("BUDGET_TEST_DATABASE_URL")
    if not postgres:
        return f"sqlite:///{tmp_path / 'live.db'}"
    separator = "&" if "?" in postgres else "?"
    return _database_url(f"{postgres}{separator}options=-csearch_path%3D{SCHEMA}")


def reset_schema(url: str, drop_only: bool = False) -> None:
    """PostgreSQL: an empty SCHEMA (or none, drop_only). SQLite files are fresh already."""
    import sqlalchemy as sa

    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        if not drop_only:
            connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()


def seeding_app(url: str) -> Flask:
    """An app on the live database, in this process: to migrate, seed and check it."""
    from budget import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=SECRET_KEY)


def signed_in_cookie(app: Flask, user) -> tuple[str, str]:
    """(session cookie, CSRF token) of `user` signed in, made as the app makes them, so that a
    test can act as many voters without a sign-in request each."""
    from flask import g, session

    with app.test_request_context(headers={"User-Agent": USER_AGENT}):
        g.pop("csrf_token", None)  # an enclosing app context may hold another user's token
        login_user(user)
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, token


@dataclass
class Reply:
    status: int
    location: str
    text: str
    cookie: str | None  # the session cookie the server set, if it set one


def receipt_code(page: str) -> str | None:
    """The receipt code a page shows (the answer to a vote), if any."""
    found = re.search(r'class="receipt"[^>]*>([^<]+)<', page)
    return found.group(1).strip() if found else None


def request(port: int, method: str, path: str, form: dict | None = None,
            cookie: str | None = None, timeout: float = 30) -> Reply:
    """One HTTP request (redirects are not followed). Raises OSError when the server is down
    or the connection breaks."""
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "en"}
    body = None
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    new_cookie = None
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            new_cookie = header.split(";", 1)[0].removeprefix("session=")
    return Reply(response.status, response.headers.get("Location", ""), text, new_cookie)


@dataclass
class Server:
    """gunicorn serving budget:create_app() on `url`, in a process group of its own."""

    url: str
    log_dir: Path
    workers: int = 4
    threads: int = 4
    preload: bool = True  # import once, then fork: workers start (and restart) at once
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self, wait: float = 90) -> None:
        config_file = self.log_dir / "gunicorn-test.conf.py"  # empty: ignore any project file
        config_file.touch()
        command = [sys.executable, "-m", "gunicorn", "--config", str(config_file),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                   "--threads", str(self.threads), "--worker-class", "gthread",
                   "--timeout", "30", "--graceful-timeout", "2", "--log-level", "warning",
                   *(["--preload"] if self.preload else []), "tests.live.wsgi:app"]
        env = {key: value for key, value in os.environ.items()
               if key not in ("REDIS_URL", "DATABASE_URL")}
        env.update(BUDGET_ENV="testing", DATABASE_URL=self.url, SECRET_KEY=SECRET_KEY,
                   PYTHONPATH=str(ROOT))
        log = open(self.log_dir / "gunicorn.log", "ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log,
                                        start_new_session=True)
        log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            try:
                request(self.port, "GET", "/", timeout=5)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer within {wait} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: a crash, nothing cleaned up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.log_dir / "gunicorn.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""


def dialect(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"
