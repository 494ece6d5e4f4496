"""gunicorn settings for `make serve-prod` (gunicorn -c deploy/gunicorn.conf.py).

Every value can be changed from the environment: BIND, WEB_CONCURRENCY (workers),
GUNICORN_THREADS (threads per worker), GUNICORN_TIMEOUT. Before any worker starts, the
configuration is checked (budget/ops/safety.py) and the server refuses to start on an unsafe
one.
"""
import gc
import multiprocessing
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from budget.ops.safety import unsafe_reasons  # noqa: E402  (needs the path above)

wsgi_app = "budget:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers (one request at a time each), as gunicorn recommends behind a buffering proxy
# (nginx); 2 x cores + 1 keeps the CPUs busy while others wait on PostgreSQL. GUNICORN_THREADS
# > 1 runs gthread workers instead. Measured with bench/vote_load.py on 2 idle cores, 2 workers:
# 4 threads cast no more ballots per second than 1 and doubled the p99 latency (the threads of a
# process take turns on one interpreter); they only helped on a machine busy with other work.
# Each thread may hold a database connection: count servers x workers x threads connections.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck worker is restarted
graceful_timeout = 30  # on SIGTERM, requests in flight get this long to finish
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory), not all at once
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "budget"
control_socket_disable = True  # gunicorn >= 25: one per user by default; servers would clash

accesslog = "-"
# The fields are turned into JSON keys by budget.ops.logs.BudgetJsonFormatter.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "budget.ops.logs.RequestIdFilter"},
                "scrub_tokens": {"()": "budget.ops.logs.ScrubTokens"}},
    "formatters": {"json": {"()": "budget.ops.logs.BudgetJsonFormatter",
                            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                            "rename_fields": {"levelname": "level", "name": "logger"}}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                             "filters": ["request_id"], "stream": "ext://sys.stderr"}},
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                # Reset and verification links carry their token in the path.
                "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True,
                                    "filters": ["scrub_tokens"]},
                "alembic": {"level": "WARNING"}},  # /readyz reads the migrations' head
}

reasons = unsafe_reasons(os.environ, workers)
if reasons:
    sys.exit("Refusing to start on an unsafe configuration:\n  - " + "\n  - ".join(reasons))

# Prometheus: each worker writes its figures here, /metrics adds them up. One folder per
# server, emptied at start (figures of dead processes from a previous run would stay).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="budget-metrics-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    # The app's own objects (loaded once per worker) leave the garbage collector's view:
    # collections stay short, and a worker stops in a moment instead of scanning them all.
    gc.freeze()
