"""Start app servers (gunicorn, as `make serve-prod` does) and nginx in front of them, on
loopback, for the scale-out check and the load benchmark.

    with Stack(env, ports=[18081, 18082], nginx_port=18080, logs=folder) as stack:
        stack.url            # nginx (or the only server when nginx_port is None)
        stack.kill(0)        # SIGKILL the first server's master and workers
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
NGINX_CONF = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=budget_results:1m max_size=64m
                     inactive=1h use_temp_path=off;
    upstream budget_app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        include {root}/deploy/nginx/budget-proxy.conf;
    }}
}}
"""


def wait_until_ready(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} is not ready after {seconds} s")
        time.sleep(0.2)


class Stack:
    def __init__(self, env: dict[str, str], ports: list[int], logs: Path,
                 nginx_port: int | None = None, workers: int = 2, app: str | None = None):
        self.env, self.ports, self.logs = env, ports, logs
        self.nginx_port, self.workers, self.app = nginx_port, workers, app
        self.servers: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port or self.ports[0]}"

    def server_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def __enter__(self) -> "Stack":
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            for index, port in enumerate(self.ports):
                self.servers.append(self._gunicorn(index, port))
            if self.nginx_port:
                self.nginx = self._start_nginx()
            for index in range(len(self.ports)):
                wait_until_ready(self.server_url(index))
            wait_until_ready(self.url)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _gunicorn(self, index: int, port: int) -> subprocess.Popen:
        env = {**os.environ, **self.env, "BIND": f"127.0.0.1:{port}",
               "WEB_CONCURRENCY": str(self.workers),
               "PROMETHEUS_MULTIPROC_DIR": str(self.logs / f"metrics-{index}")}
        command = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")]
        if self.app:
            command.append(self.app)
        log = open(self.logs / f"server-{index}.log", "ab")
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log,
                                start_new_session=True)

    def _start_nginx(self) -> subprocess.Popen:
        tmp = self.logs / "nginx"
        tmp.mkdir(exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                            for port in self.ports)
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers, port=self.nginx_port,
                                          root=ROOT))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        return subprocess.Popen([nginx, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                                start_new_session=True)

    def kill(self, index: int) -> None:
        """Crash one app server: SIGKILL to its master and workers at once."""
        os.killpg(self.servers[index].pid, signal.SIGKILL)
        self.servers[index].wait()

    def __exit__(self, *exc) -> None:
        for process in [*self.servers, self.nginx]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.servers, self.nginx]:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
