"""Scheduled duties (the systemd timers of deploy/systemd/) note each run's outcome in a small
JSON file per duty under DUTY_STATE_DIR; `/metrics` reads them when scraped.

The timers run `flask budget ...` in processes of their own, which no scrape ever sees: a file
that outlives them, and the app server's restarts, carries their outcome. One duty runs at a
time (systemd does not start a timer's service twice), so read-then-write is safe.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path

from flask import current_app
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

DUTY_NAME = re.compile(r"[a-z][a-z-]{0,40}")
log = logging.getLogger("budget.duties")


def _folder() -> Path:
    return Path(current_app.config["DUTY_STATE_DIR"])


def record_run(duty: str, ok: bool, detail: str = "", now: float | None = None) -> None:
    """Note that `duty` ran, and whether it succeeded. A failure is logged at error level
    (with `detail`), so that the journal and the log shipper see it as well as /metrics."""
    if not DUTY_NAME.fullmatch(duty):
        raise ValueError(f"not a duty name: {duty!r}")
    now = time.time() if now is None else now
    if not ok:
        log.error("scheduled duty %s failed: %s", duty, detail, extra={"duty": duty})
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    state = read_states().get(duty, {"runs": 0, "failures": 0})
    state["runs"] += 1
    state["failures"] += 0 if ok else 1
    state["last_run"] = now
    state["last_ok"] = ok
    if ok:
        state["last_success"] = now
    partial = folder / f".{duty}.json.partial"
    partial.write_text(json.dumps(state))
    os.replace(partial, folder / f"{duty}.json")  # never a half-written file under its name


def read_states() -> dict[str, dict]:
    """{duty: its state} of every duty that ran at least once; unreadable files are skipped."""
    states = {}
    folder = _folder()
    if not folder.is_dir():
        return states
    for path in sorted(folder.glob("*.json")):
        try:
            states[path.stem] = json.loads(path.read_text())
        except (OSError, ValueError):
            log.warning("unreadable duty state file %s", path)
    return states


class DutyStates:
    """Prometheus collector of the duties' outcomes, read from their files when scraped."""

    def __init__(self, states: dict[str, dict]):
        self.states = states

    def collect(self):
        families = {
            "failures": CounterMetricFamily("budget_duty_failures", "Scheduled duty runs that "
                                            "failed (audit chain broken, backup not written).",
                                            labels=["duty"]),
            "runs": CounterMetricFamily("budget_duty_runs", "Scheduled duty runs.",
                                        labels=["duty"]),
            "last_run": GaugeMetricFamily("budget_duty_last_run_timestamp_seconds",
                                          "When the duty last ran (Unix time).", labels=["duty"]),
            "last_success": GaugeMetricFamily("budget_duty_last_success_timestamp_seconds",
                                              "When the duty last succeeded (Unix time).",
                                              labels=["duty"]),
            "last_ok": GaugeMetricFamily("budget_duty_last_run_ok", "1 when the duty's last run "
                                         "succeeded, 0 when it failed.", labels=["duty"]),
        }
        for duty, state in self.states.items():
            for key, family in families.items():
                if key in state:
                    family.add_metric([duty], float(state[key]))
        yield from families.values()
