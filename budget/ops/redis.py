"""One Redis client per process for the jobs and the checks (the rate limiter keeps its own)."""
from __future__ import annotations

from flask import current_app


def redis_connection():
    """The app's Redis client, or None when REDIS_URL is not set (the embedded default)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("budget_redis")
    if client is None:
        from redis import Redis

        client = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        current_app.extensions["budget_redis"] = client
    return client
