"""The application factory."""
from __future__ import annotations

import os

from babel import support
from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix
from wtforms.i18n import messages_path as wtforms_messages

from budget import commands, jobs
from budget.blueprints.admin import bp as admin_bp
from budget.blueprints.catalogue import bp as catalogue_bp
from budget.blueprints.api import bp as api_bp
from budget.blueprints.auth import bp as auth_bp
from budget.blueprints.discuss import bp as discuss_bp
from budget.blueprints.evaluation import bp as evaluation_bp
from budget.blueprints.kiosk import bp as kiosk_bp
from budget.blueprints.numbers import DatabaseIdConverter
from budget.blueprints.proposals import bp as proposals_bp
from budget.blueprints.public import bp as public_bp
from budget.blueprints.results import bp as results_bp
from budget.blueprints.staff import bp as staff_bp
from budget.blueprints.tracking import bp as tracking_bp
from budget.blueprints.vote import bp as vote_bp
from budget.error_pages import register_error_pages
from budget.links import configure_public_url
from budget.extensions import babel, csrf, db, limiter, login_manager
from budget.jobs import tasks
from budget.migrations_setup import init_migrations
from budget.models import BudgetCycle, User
from budget.ops import bench_page, health, metrics
from budget.ops.error_tracking import init_error_tracking
from budget.ops.logs import register_request_id
from budget.security import register_security_headers
from budget.templating import register_template_helpers
from config import CONFIGS, INSTANCE_DIR


def select_locale() -> str:
    if not has_request_context():  # command-line jobs and services called directly
        return "fr"
    chosen = session.get("lang")
    if chosen in ("fr", "en"):
        return chosen
    return request.accept_languages.best_match(["fr", "en"]) or "fr"


_form_translations: dict[str, support.Translations] = {}


def share_form_translations() -> None:
    """WTForms' own messages ("This field is required.") in the page's language, read from
    disk once per language and process: Flask-WTF reads them again on every request that
    builds a form (0.5 ms), unless the request already carries them, as here."""
    locale = str(get_locale())
    if locale not in _form_translations:
        _form_translations[locale] = support.Translations.load(
            wtforms_messages(), [locale], domain="wtforms")
    request.wtforms_translations = _form_translations[locale]


def load_user(session_id: str):
    """The user of a session cookie, unless that session was revoked since (its version is
    no longer the user's)."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # With their commune: who may do what depends on it, on nearly every page.
    query = select(User).options(joinedload(User.home_commune)).where(User.id == int(user_id))
    view_args = (request.view_args if has_request_context() else None) or {}
    if isinstance(view_args.get("cycle_id"), int):
        # And the cycle the page is about, which it reads next (cycles.get_cycle then finds it
        # in the session): one round trip fewer on every ballot (services/ballot_speed.py).
        query = query.add_columns(BudgetCycle).outerjoin(
            BudgetCycle, BudgetCycle.id == view_args["cycle_id"])
    row = db.session.execute(query).first()
    user = row[0] if row else None
    if row and len(row) > 1:
        g.page_cycle = row[1]  # the session's identity map holds objects weakly
    return user if user is not None and user.session_version == int(version) else None


def create_app(config_name: str | None = None, **overrides) -> Flask:
    config_name = config_name or os.environ.get("BUDGET_ENV", "development")
    config = CONFIGS[config_name]
    if hasattr(config, "check"):
        config.check()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.from_object(config)
    app.config.update(overrides)
    configure_public_url(app)
    os.makedirs(app.instance_path, exist_ok=True)
    register_request_id(app)  # first: every later hook and error page has the id
    init_error_tracking(app)  # off unless SENTRY_DSN is set
    metrics.register_metrics(app)

    db.init_app(app)
    init_migrations(app, db, directory=str(INSTANCE_DIR.parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)

    for blueprint in (public_bp, auth_bp, proposals_bp, vote_bp, staff_bp, results_bp, api_bp,
                      health.bp, metrics.bp, admin_bp, tracking_bp, discuss_bp,
                      evaluation_bp, kiosk_bp, catalogue_bp):
        app.register_blueprint(blueprint)
    if app.config["BENCH_BARE_PAGE"]:
        app.register_blueprint(bench_page.bp)
    if app.config["PROXY_COUNT"]:
        # Behind nginx: the client's address (for per-address rate limits) and https scheme.
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(share_form_translations)
    register_template_helpers(app)
    register_error_pages(app)
    register_security_headers(app)
    commands.register(app)
    jobs.register_tasks(tasks.TASKS)
    return app
