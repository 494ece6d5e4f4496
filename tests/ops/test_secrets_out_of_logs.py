"""Logs hold no secret: a log reader must not learn receipt codes, reset links or addresses
from the production logs (emails not sent, gunicorn's access log)."""
import logging
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from budget import create_app, mail
from config import ProductionConfig
from tests.live.server import free_port

ROOT = Path(__file__).resolve().parents[2]
CODE = "DB2Z-486V-QFWP"
TOKEN = "eyJ1c2VyIjoxfQ.aBcDeF.secret-part-of-the-token"


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The production configuration, with every required setting but mail."""
    key = "p" * 40
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", "https://budget.example.fr")
    monkeypatch.setattr(ProductionConfig, "MAIL_SERVER", None)
    return lambda **settings: create_app(
        "production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.db", **settings)


def test_production_refuses_to_start_without_a_mail_server(production):
    with pytest.raises(RuntimeError, match="MAIL_SERVER"):
        production()


def test_with_email_turned_off_production_logs_no_body_and_no_address(production, monkeypatch,
                                                                      caplog):
    monkeypatch.setattr(ProductionConfig, "MAIL_DISABLED", True, raising=False)
    app = production()
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        mail.deliver("habitant@example.fr", "Votre vote est enregistré",
                     f"Votre code : {CODE}\nhttps://budget.example.fr/password/reset/{TOKEN}")
    logged = caplog.text
    assert "not sent" in logged
    assert CODE not in logged and TOKEN not in logged and "habitant" not in logged


def test_the_access_log_keeps_no_token_of_a_path(tmp_path):
    """A real gunicorn with the shipped configuration: the reset and verification links'
    tokens, opened by a resident, are not written to the access log."""
    port = free_port()
    env = {"PATH": os.environ["PATH"], "BUDGET_ENV": "production", "SECRET_KEY": "s" * 40,
           "PUBLIC_URL": "https://budget.example.fr", "MAIL_DISABLED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path}/g.db", "WEB_CONCURRENCY": "1",
           "BIND": f"127.0.0.1:{port}", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    log = open(tmp_path / "gunicorn.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        paths = [f"/password/reset/{TOKEN}", f"/account/verify/{TOKEN}?next=/"]
        deadline = time.monotonic() + 30
        for path in paths:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break  # an answer: the request is in the access log
                except OSError:
                    assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                    time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    written = (tmp_path / "gunicorn.log").read_text()
    assert written.count('"gunicorn.access"') >= 2, written
    assert "/password/reset/" in written and "/account/verify/" in written
    assert TOKEN not in written and "secret-part" not in written


def test_an_error_on_a_token_page_is_logged_without_the_token(app, caplog, monkeypatch):
    from budget.blueprints.auth import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "NewPasswordForm", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    caplog.set_level(logging.ERROR)
    assert app.test_client().get(f"/password/reset/{TOKEN}").status_code == 500
    assert "Exception on /password/reset/<token>" in caplog.text and TOKEN not in caplog.text
