"""Request ids, JSON log lines, and metrics hidden behind a token."""
import json
import logging

from budget.ops.logs import json_handler


def test_every_response_carries_a_request_id(browser):
    made = browser.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    sent = browser.get("/healthz", headers={"X-Request-ID": "nginx-0123456789"})
    assert sent.headers["X-Request-ID"] == "nginx-0123456789"
    forged = browser.get("/healthz", headers={"X-Request-ID": "<script>x</script>"})
    assert len(forged.headers["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id(app):
    handler = json_handler()
    record = logging.LogRecord("budget", logging.WARNING, __file__, 1, "ballot %s", ("x",), None)
    with app.test_request_context():
        from flask import g

        g.request_id = "abc123abc123"
        handler.filter(record)
    line = json.loads(handler.format(record))
    assert line["message"] == "ballot x" and line["level"] == "WARNING"
    assert line["request_id"] == "abc123abc123"


def test_metrics_need_the_token(app, browser, monkeypatch):
    assert browser.get("/metrics").status_code == 404  # no token configured: nobody
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    assert browser.get("/metrics").status_code == 404
    wrong = browser.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 404
    browser.get("/healthz")
    page = browser.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "budget_http_requests_total{" in text and 'endpoint="ops_health.healthz"' in text
    assert "budget_ballots_cast_total" in text


def test_job_arguments_stay_out_of_the_log():
    record = logging.LogRecord("rq.worker", logging.ERROR, __file__, 1, "job failed", (), None)
    record.arguments = ["someone@example.fr", "subject", "https://…/password/reset/SECRET"]
    line = json.loads(json_handler().format(record))
    assert "SECRET" not in json.dumps(line) and line["message"] == "job failed"
