"""Error tracking (Sentry) is off by default, and what it would send is scrubbed of receipt
codes, access codes, tokens, one-time codes and email addresses."""
import json

import pytest

from budget.domain.eligibility import new_access_code
from budget.domain.receipts import new_receipt_code
from budget.ops.error_tracking import FILTERED, init_error_tracking, scrub_event

RECEIPT = new_receipt_code()
ACCESS = new_access_code()
RESET = "eyJ1c2VyIjoxLCJzZWFsIjoiYWJjIn0.aVXa1Q.Zx3mHq9d8K0yPq2LrT5uVwXyZ12"
PHOTO = "9f2c4e1ab37d4c0e8a6b5d2f1e3c7a90"
EMAIL = "Camille.Martin@example.fr"


def event() -> dict:
    """An event shaped as the Flask integration of sentry-sdk sends one."""
    return {
        "message": f"receipt {RECEIPT} not found for {EMAIL}",
        "exception": {"values": [{
            "type": "DomainError", "value": f"no census entry; access code {ACCESS.lower()}",
            "stacktrace": {"frames": [{
                "filename": "budget/services/voting.py", "function": "register_security_headers",
                "lineno": 42, "context_line": "    check(code)",
                "vars": {"password": "hunter2-hunter2", "code": "123456", "cycle_id": 7,
                         "user": f"<User {EMAIL}>", "recovery": "A1B2C-3D4E5"}}]}}]},
        "request": {
            "url": f"https://budget.example.fr/password/reset/{RESET}",
            "query_string": f"next=/proposals/3/photos/{PHOTO}",
            "headers": [["Cookie", "session=abc.def.ghi"], ["X-CSRFToken", "tok"],
                        ["Accept-Language", "fr"], ["Authorization", "Bearer secret"]],
            "data": {"receipt_code": RECEIPT, "email": EMAIL, "csrf_token": "x",
                     "title": "Parc"}},
        "breadcrumbs": {"values": [{"category": "log", "message": f"mail to {EMAIL} sent"}]},
        "contexts": {"response": {"status_code": 500}},
    }


def test_the_scrubber_removes_codes_tokens_and_emails_wherever_they_are():
    scrubbed = scrub_event(event(), {})
    text = json.dumps(scrubbed)
    for secret in (RECEIPT, ACCESS, ACCESS.lower(), RESET, PHOTO, EMAIL, "hunter2", "123456",
                   "A1B2C-3D4E5", "abc.def", "Bearer secret"):
        assert secret not in text, secret
    assert scrubbed["request"]["data"]["title"] == "Parc"  # the rest stays useful
    frame = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["function"] == "register_security_headers" and frame["lineno"] == 42
    assert frame["vars"]["cycle_id"] == 7 and frame["vars"]["password"] == FILTERED
    assert scrubbed["request"]["headers"][2] == ["Accept-Language", "fr"]
    assert scrubbed["contexts"]["response"]["status_code"] == 500
    assert scrubbed["exception"]["values"][0]["type"] == "DomainError"


def test_error_tracking_is_off_without_a_dsn(app):
    assert not app.config.get("SENTRY_DSN")
    init_error_tracking(app)  # nothing to start, nothing raised
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()


def test_a_dsn_without_the_extra_installed_is_refused(app, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sentry(name, *args, **kwargs):
        if name == "sentry_sdk":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setitem(app.config, "SENTRY_DSN", "https://key@sentry.example.org/1")
    monkeypatch.setattr(builtins, "__import__", no_sentry)
    with pytest.raises(RuntimeError, match="sentry"):
        init_error_tracking(app)


def test_with_a_dsn_every_event_goes_through_the_scrubber_and_no_personal_data(app,
                                                                              monkeypatch):
    import sentry_sdk

    started = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: started.update(options))
    monkeypatch.setitem(app.config, "SENTRY_DSN", "https://key@sentry.example.org/1")
    init_error_tracking(app)
    assert started["before_send"] is scrub_event
    assert started["before_send_transaction"] is scrub_event
    assert started["send_default_pii"] is False
