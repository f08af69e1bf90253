"""Liveness and readiness: ``GET /healthz``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .auth import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """Whether the service can answer: the engine loaded and the database reachable (503 if not)."""
    engine = current_app.extensions["useit_engine"]
    database = "ok"
    try:
        with current_app.extensions["useit_db"].connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        database = "unreachable"
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "taxonomy": {"name": engine.taxonomy.name, "concepts": engine.taxonomy.counts()},
        "normaliser": engine.describe_mode(),
    }
    return jsonify(body), 200 if database == "ok" else 503
