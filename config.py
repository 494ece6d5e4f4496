"""Configuration classes, read from the environment. No logic beyond picking values."""
import hashlib
import hmac
import json
import os
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
# bandit B105: production refuses it (check)
DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # nosec B105


def _database_url(default: str) -> str:
    return _with_driver(os.environ.get("DATABASE_URL", default))


def _with_driver(url: str) -> str:
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 named explicitly.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _replica_binds(url: str | None) -> dict[str, str]:
    """SQLALCHEMY_BINDS: the read replica's engine (budget/read_replica.py), when there is one."""
    return {"replica": _with_driver(url)} if url else {}


def _eligibility_key(secret_key: str) -> str:
    """Key of the hashes of census identifiers and access codes. Set BUDGET_ELIGIBILITY_KEY in
    production: derived from SECRET_KEY otherwise, so rotating that key during a vote would
    make every census entry and code unrecognisable."""
    return os.environ.get("BUDGET_ELIGIBILITY_KEY") or hmac.new(
        secret_key.encode(), b"eligibility", hashlib.sha256).hexdigest()


def is_public_https_url(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme == "https" and bool(parts.hostname) and parts.path in ("", "/") \
        and not parts.query and not parts.fragment


class Config:
    # Where residents reach the platform ("https://budget.example.fr"): every absolute link the
    # app builds (emails, letters, exports) starts with it, never with the Host header a
    # visitor sent (budget/links.py). Required in production.
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    # The licence the open-data export (docs/opendata.md) states for its data.
    OPENDATA_LICENCE = os.environ.get("OPENDATA_LICENCE",
                                      "Licence Ouverte / Open Licence version 2.0")
    # Comma-separated: requests naming another host are refused (400). The PUBLIC_URL host is
    # always trusted when this is set; add the names the app servers are reached by directly
    # (monitoring). Unset: any host is served (links are safe either way; nginx filters hosts).
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")
                     if h.strip()] or None
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    ELIGIBILITY_KEY = _eligibility_key(SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'budget.db'}")
    # JSON columns written without the spaces after , and : (a city's stored tally is
    # megabytes of ballots: a quarter smaller); read back the same.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True,
                                 "json_serializer": partial(json.dumps, separators=(",", ":"))}
    # A PostgreSQL streaming replica (hot standby) of DATABASE_URL: the public pages read from
    # it for visitors who are not signed in (budget/read_replica.py, docs/operations.md).
    # Unset: everything reads the primary.
    SQLALCHEMY_BINDS = _replica_binds(os.environ.get("BUDGET_REPLICA_DATABASE_URL"))
    WTF_CSRF_ENABLED = True
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Unset: in development emails are written to the log, readable; production refuses to
    # start unless MAIL_DISABLED=1 says on purpose that no email is sent (then the log says
    # only "email not sent", with neither address nor body).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_DISABLED = os.environ.get("MAIL_DISABLED", "0") == "1"
    MAIL_TO_LOG = False  # a body in the log shows receipt codes and reset links to its readers
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"  # STARTTLS (port 587)
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"  # TLS from the start (port 465)
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "465" if MAIL_USE_SSL else "587"))
    # The server's certificate is always checked, against the system's authorities or these.
    MAIL_CA_FILE = os.environ.get("MAIL_CA_FILE")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "budget-participatif@localhost")
    # Named in the accessibility statement: where residents report a barrier.
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", MAIL_FROM)
    # Map tiles of the proposal maps ({z}/{x}/{y}); empty: markers on a blank background (a
    # closed network). The CSP allows images from this URL's origin.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_ATTRIBUTION = os.environ.get(
        "MAP_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>')
    MAP_CENTER = os.environ.get("MAP_CENTER", "46.6,2.4")  # "lat,lon" before anything is placed
    MAP_ZOOM = int(os.environ.get("MAP_ZOOM", "6"))
    # Photos of proposals: re-encoded JPEG files and thumbnails (services/images.py).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Published results files, built once and served from here (services/exports/stored.py);
    # empty: built at each download.
    EXPORT_CACHE_FOLDER = os.environ.get("EXPORT_CACHE_FOLDER", str(INSTANCE_DIR / "exports"))
    # How long an app process keeps what an anonymous visitor's results and cycle pages are made
    # of (results/shared_pages.py, public/cycle_cache.py); 0 keeps nothing (tests: each test's
    # rolled-back ids come back in the next).
    PAGE_MEMO_SECONDS = float(os.environ.get("PAGE_MEMO_SECONDS", "30"))
    # bench/city_scale.py only: serve /bench/bare, the base template alone (ops/bench_page.py).
    BENCH_BARE_PAGE = os.environ.get("BENCH_BARE_PAGE") == "1"
    MAX_IMAGE_BYTES = 5 * 1024 * 1024
    # A council's deliberation, as a PDF (services/adoption.py); under MAX_CONTENT_LENGTH.
    MAX_DELIBERATION_BYTES = 8 * 1024 * 1024
    IMAGES_PER_PROPOSAL = 3
    # Argon2id cost of password hashes (RFC 9106's second recommendation: 3 passes, 64 MiB, 4
    # lanes, above OWASP's minimum); a hash made with other figures is redone at its sign-in.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_KIB = int(os.environ.get("ARGON2_MEMORY_KIB", "65536"))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", "4"))
    # A code from an authenticator app at sign-in for commune staff, staff, council and admin
    # accounts (services/second_factor.py). Off by default in development, so that the demo
    # accounts of `flask budget demo` sign in with their password alone; on in production.
    REQUIRE_STAFF_TOTP = os.environ.get("REQUIRE_STAFF_TOTP", "0") == "1"
    PASSWORD_RESET_HOURS = 1
    EMAIL_VERIFICATION_HOURS = 48
    # `flask budget import-pb` refuses larger files and lines (the largest real ones: 4 MB, 700).
    PABULIB_MAX_FILE_BYTES = int(os.environ.get("PABULIB_MAX_FILE_BYTES", 200 * 1024 * 1024))
    PABULIB_MAX_LINE_CHARS = int(os.environ.get("PABULIB_MAX_LINE_CHARS", 100_000))
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    EMAIL_LIST_KEY = "budget:emails"  # emails waiting to be sent (budget/jobs, with Redis)
    # One sender at a time holds a lease this long, renewed at each email; a sender that died
    # leaves its email in a list of its own, sent by the next one once the lease is over.
    EMAIL_LEASE_SECONDS = int(os.environ.get("EMAIL_LEASE_SECONDS", "60"))
    # No X-RateLimit-* headers: each costs the limiter two more Redis round trips on every
    # limited request (every ballot). The 429 page says when to come back (Retry-After).
    RATELIMIT_HEADERS_ENABLED = False
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one JSON object per line
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN")  # unset: /metrics answers 404
    # Error tracking (budget/ops/error_tracking.py): off unless set; needs the `sentry` extra.
    SENTRY_DSN = os.environ.get("SENTRY_DSN")
    SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT")
    SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0"))
    # Where the scheduled duties (backup, purge, audit-verify) note each run's outcome, which
    # /metrics reads: a folder that outlives restarts, shared by the timers and the app server.
    DUTY_STATE_DIR = os.environ.get("DUTY_STATE_DIR", str(INSTANCE_DIR / "duties"))
    # Trusted proxies in front of the app (nginx: 1), for the client's address and scheme.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # With a job queue, a tally of at least this many ballots runs in the background.
    TALLY_JOB_MIN_BALLOTS = int(os.environ.get("TALLY_JOB_MIN_BALLOTS", "20000"))
    # Seconds before each retry of a failed job; after the last, it is reported as failed.
    JOB_RETRY_INTERVALS = [int(s) for s in os.environ.get("JOB_RETRY_INTERVALS",
                                                          "10,60,300").split(",")]
    # Sign in with OpenID Connect (budget/blueprints/auth/provider_client.py, docs/operations.md).
    # Off unless OIDC_ISSUER and OIDC_CLIENT_ID are set. OIDC_PROFILE "franceconnect" asks for
    # FranceConnect's claims and eIDAS level and draws its button; "generic" any provider.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER")  # its /.well-known/openid-configuration
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_PROFILE = os.environ.get("OIDC_PROFILE", "generic")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES")  # unset: the profile's
    OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL")  # unset: the profile's
    OIDC_ACR_VALUES = os.environ.get("OIDC_ACR_VALUES")  # unset: the profile's
    # How the client proves itself at the token endpoint (client_secret_basic or _post).
    OIDC_TOKEN_AUTH_METHOD = os.environ.get("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
    # Seconds for the provider's answers: a provider down costs the resident no longer.
    OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    DEBUG = True
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")  # `make run`
    MAIL_TO_LOG = True  # without MAIL_SERVER, every email is printed in the terminal


class TestingConfig(Config):
    TESTING = True
    EXPORT_CACHE_FOLDER = ""  # tests/exports/test_stored_exports.py gives one per test
    PAGE_MEMO_SECONDS = 0.0  # tests/web/test_cycle_page_cache.py turns it on
    PUBLIC_URL = "http://localhost"  # the test client's host
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite:///:memory:")
    SQLALCHEMY_BINDS = {}  # tests/web/test_read_replica.py names its own replica
    RATELIMIT_ENABLED = False  # one test app turns it on to check the limits
    # Password hashing is deliberately slow; tests only need it to be correct.
    ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM = 1, 64, 1


class ProductionConfig(Config):
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    REQUIRE_STAFF_TOTP = os.environ.get("REQUIRE_STAFF_TOTP", "1") == "1"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY") or cls.SECRET_KEY == DEV_SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set to a real secret in production.")
        if len(cls.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters long in production.")
        if not is_public_https_url(cls.PUBLIC_URL):
            raise RuntimeError("PUBLIC_URL must be set in production to the platform's https "
                               "address, such as https://budget.example.fr (links in emails "
                               "are built from it).")
        if not cls.MAIL_SERVER and not cls.MAIL_DISABLED:
            raise RuntimeError("MAIL_SERVER must be set in production (or MAIL_DISABLED=1 to "
                               "send no email at all).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
