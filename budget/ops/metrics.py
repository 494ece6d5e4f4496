"""Prometheus metrics: requests, latencies, ballots cast, background jobs.

Served at `/metrics` only to a caller that sends `Authorization: Bearer $METRICS_TOKEN`
(404 to anyone else, and 404 for everyone when no token is set); nginx also refuses that
path from the public. Under gunicorn every worker writes its figures to
PROMETHEUS_MULTIPROC_DIR (set by deploy/gunicorn.conf.py) and `/metrics` adds them up.
"""
from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               generate_latest, multiprocess)
from prometheus_client.core import GaugeMetricFamily

from budget.extensions import limiter
from budget.jobs import queue_counts
from budget.ops.duties import DutyStates, read_states

bp = Blueprint("ops_metrics", __name__)

REQUESTS = Counter("budget_http_requests_total", "HTTP requests answered.",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("budget_http_request_duration_seconds", "Time to answer a request.",
                    ["endpoint"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
BALLOTS_CAST = Counter("budget_ballots_cast_total", "Ballots cast online.")


class JobCounts:
    """Jobs by state, read from Redis when scraped (the worker is another process)."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def collect(self):
        family = GaugeMetricFamily("budget_jobs", "Background jobs by state.", labels=["state"])
        for state, count in self.counts.items():
            family.add_metric([state], count)
        yield family


def register_metrics(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def record(response):
        endpoint = request.endpoint or "unknown"  # unknown URLs share one label, not one each
        if endpoint != "ops_metrics.metrics":
            REQUESTS.labels(request.method, endpoint, response.status_code).inc()
            started = g.get("metrics_started")
            if started is not None:
                LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        return response


def _authorised() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@bp.route("/metrics")
@limiter.exempt
def metrics():
    if not _authorised():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY  # one process: its own figures
    jobs = CollectorRegistry()
    jobs.register(JobCounts(queue_counts()))
    jobs.register(DutyStates(read_states()))
    return Response(generate_latest(registry) + generate_latest(jobs),
                    mimetype=CONTENT_TYPE_LATEST)
