"""Flask app factory for the useit-match JSON API.

``create_app()`` reads configuration from the environment; tests pass ``test_config``.
The engine (taxonomy and normaliser, its index loaded from disk) is built once per app and
shared by requests. Flask, SQLAlchemy and the blueprints are imported by ``create_app`` only, so
that the ``useit`` commands which serve nothing (``useit normalise``) start without them.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from flask import Flask
    from sqlalchemy.orm import sessionmaker

    from . import (
        assess,
        code_delivery,
        errors,
        extract,
        health,
        limits,
        normalise,
        openapi,
        privacy,
        residents,
        taxonomy,
        vacancies,
        web,
    )
    from .config import Config, instance_secret
    from .db import make_engine
    from .engine import Engine
    from .recruiter_view import pseudonym_key

    app = Flask(__name__, instance_relative_config=False)
    config = Config.from_env()
    settings: dict[str, Any] = {
        "DATABASE_URL": config.database_url,
        "USEIT_TAXONOMY_DIR": config.taxonomy_dir,
        "MAX_CONTENT_LENGTH": config.max_content_length,
        "USEIT_NORMALISER_MODE": config.normaliser_mode,
    }
    if test_config:
        settings.update(test_config)
    app.config.update(settings)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the contract's field order
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    mode = app.config["USEIT_NORMALISER_MODE"]
    if mode not in ("lexical", "semantic"):
        raise ValueError(f"USEIT_NORMALISER_MODE must be lexical or semantic, got {mode!r}")
    engine = Engine.load(app.config["USEIT_TAXONOMY_DIR"], semantic=mode == "semantic")
    engine.assessor  # noqa: B018  # fit everything once per process, not on a first request
    app.extensions["useit_engine"] = engine
    app.extensions["useit_pseudonym_key"] = pseudonym_key(
        str(app.config.get("USEIT_PSEUDONYM_KEY") or instance_secret("USEIT_PSEUDONYM_KEY", "pseudonym_key"))
    )
    database = make_engine(app.config["DATABASE_URL"])
    app.extensions["useit_db"] = database
    app.extensions["useit_sessions"] = sessionmaker(database, expire_on_commit=False)

    errors.register(app)
    privacy.install(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp)
    for blueprint in (normalise.bp, assess.bp, residents.bp, vacancies.bp, taxonomy.bp):
        app.register_blueprint(blueprint, url_prefix="/api/v1")
    extract.install(app)
    web.install(app)
    code_delivery.install(app, app.config.get("USEIT_CODE_SENDER_OBJECT"))
    app.extensions["useit_limiter"] = limits.install(app)
    _behind_proxies(app)
    return app


def _behind_proxies(app: Flask) -> None:
    """Behind ``USEIT_PROXIES`` reverse proxies (nginx, a load balancer), the client's address and
    scheme come from their X-Forwarded-For and X-Forwarded-Proto headers (Werkzeug's ProxyFix), so
    rate limits count the client, not the proxy. Unset or 0 (the default) the headers are ignored:
    anyone could send them when nothing in front overwrites them."""
    raw = str(app.config.get("USEIT_PROXIES") or os.environ.get("USEIT_PROXIES") or "0").strip()
    if not raw.isdigit() or int(raw) > 10:
        raise ValueError(f"USEIT_PROXIES must be the number of proxies in front (0-10), not {raw!r}")
    if int(raw):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(raw), x_proto=int(raw))  # type: ignore[method-assign]
