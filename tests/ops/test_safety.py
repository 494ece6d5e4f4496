"""The production server refuses to start on an unsafe configuration."""
import subprocess
import sys
from pathlib import Path

import pytest

from budget.ops.safety import unsafe_reasons
from config import DEV_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
SAFE = {"BUDGET_ENV": "production", "SECRET_KEY": "k" * 40,
        "DATABASE_URL": "postgresql://budget@db/budget", "REDIS_URL": "redis://cache:6379/0",
        "PUBLIC_URL": "https://budget.example.fr", "MAIL_SERVER": "smtp.example.fr"}


def test_a_complete_configuration_is_safe():
    assert unsafe_reasons(SAFE, workers=9) == []


@pytest.mark.parametrize("change, words", [
    ({"BUDGET_ENV": "development"}, "BUDGET_ENV"),
    ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
    ({"PUBLIC_URL": ""}, "PUBLIC_URL"),
    ({"MAIL_SERVER": ""}, "MAIL_SERVER"),
    ({"PUBLIC_URL": "http://budget.example.fr"}, "PUBLIC_URL"),
    ({"DATABASE_URL": "sqlite:////srv/budget.db"}, "SQLite"),
    ({"DATABASE_URL": ""}, "SQLite"),
    ({"REDIS_URL": ""}, "REDIS_URL"),
])
def test_each_unsafe_setting_is_named(change, words):
    reasons = unsafe_reasons({**SAFE, **change}, workers=3)
    assert len(reasons) == 1 and words in reasons[0]


FRANCECONNECT = {"OIDC_ISSUER": "https://oidc.franceconnect.gouv.fr/api/v2",
                 "OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "secret"}


def test_a_sign_in_through_franceconnect_is_safe_over_https_with_its_client():
    assert unsafe_reasons({**SAFE, **FRANCECONNECT}, workers=3) == []


@pytest.mark.parametrize("change", [{"OIDC_ISSUER": "http://oidc.example.fr"},
                                    {"OIDC_CLIENT_SECRET": ""}, {"OIDC_CLIENT_ID": ""}])
def test_an_identity_provider_over_http_or_without_its_client_is_refused(change):
    reasons = unsafe_reasons({**SAFE, **FRANCECONNECT, **change}, workers=3)
    assert len(reasons) == 1 and "OIDC_" in reasons[0]


def test_no_mail_server_is_fine_when_email_is_turned_off_on_purpose():
    assert unsafe_reasons({**SAFE, "MAIL_SERVER": "", "MAIL_DISABLED": "1"}, workers=3) == []


def test_sqlite_and_no_redis_are_fine_for_a_single_worker():
    assert unsafe_reasons({**SAFE, "DATABASE_URL": "", "REDIS_URL": ""}, workers=1) == []


def test_gunicorn_config_stops_before_serving():
    env = {"PATH": "/usr/bin:/bin", "BUDGET_ENV": "production", "WEB_CONCURRENCY": "3"}
    done = subprocess.run([sys.executable, "-c",
                           "import runpy; runpy.run_path('deploy/gunicorn.conf.py')"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "Refusing to start" in done.stderr and "SECRET_KEY" in done.stderr
