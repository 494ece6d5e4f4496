"""Running in production: health checks, JSON logs with a request id, Prometheus metrics,
and the check that refuses an unsafe configuration."""
