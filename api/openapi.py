"""The OpenAPI 3.1 document, generated from the URL map and the pydantic models views declare.

Views declare their request and response models with :func:`documented`; their access policy
(``allow``/``public``) becomes the security requirement. ``/openapi.json`` serves the document
and ``/docs`` a readable page of it (plain HTML: nothing is fetched from elsewhere).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, RootModel

from .auth import public
from .contract import ErrorOut

bp = Blueprint("openapi", __name__)
F = TypeVar("F", bound=Callable[..., Any])
_ERRORS = {
    "400": "Malformed request (not JSON, not UTF-8)",
    "401": "No valid bearer token",
    "403": "Not open to this role",
    "404": "No such record (or not yours)",
    "409": "Changed by someone else, or a duplicate",
    "413": "Request body too large",
    "415": "Not JSON",
    "422": "Invalid input: every problem is listed",
}


def documented(
    *,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | type[RootModel[Any]] | None = None,
    query: dict[str, str] | None = None,
    multipart: type[BaseModel] | None = None,
) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.openapi = {"body": body, "response": response, "query": query or {}, "multipart": multipart}  # type: ignore[attr-defined]
        return view

    return decorate


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def build_document(app: Flask) -> dict[str, Any]:
    components: dict[str, Any] = {}
    error_ref = _schema(ErrorOut, components)
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        policy = getattr(view, "access_policy", None) or {}
        if policy.get("web"):
            continue  # pages for people, not part of the JSON API
        meta = getattr(view, "openapi", {})
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        doc = inspect.getdoc(view) or rule.endpoint
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation: dict[str, Any] = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "summary": doc.split("\n")[0],
                "description": doc,
                "tags": [rule.endpoint.split(".")[0]],
                "parameters": [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    for name in sorted(rule.arguments)
                ]
                + [
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
                    for name, text in meta.get("query", {}).items()
                ],
                "responses": {
                    code: {"description": text, "content": {"application/json": {"schema": error_ref}}}
                    for code, text in _ERRORS.items()
                },
            }
            roles = policy.get("roles")
            if roles == "public":
                operation["security"] = []
            else:
                operation["security"] = [{"bearer": []}]
                operation["x-roles"] = list(roles or [])
            if meta.get("body") is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _schema(meta["body"], components)}},
                }
            if meta.get("multipart") is not None:  # a file upload as well as (or instead of) JSON
                content = operation.setdefault("requestBody", {"required": True, "content": {}})["content"]
                content["multipart/form-data"] = {"schema": _schema(meta["multipart"], components)}
            ok = {
                "description": "Success",
                "content": {
                    "application/json": {
                        "schema": _schema(meta["response"], components) if meta.get("response") else {"type": "object"}
                    }
                },
            }
            operation["responses"]["201" if method == "POST" and "create" in rule.endpoint else "200"] = ok
            if method == "DELETE":
                operation["responses"] = {k: v for k, v in operation["responses"].items() if k != "200"}
                operation["responses"]["204"] = {"description": "Deleted"}
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "useit-match API",
            "version": "1",
            "description": (
                "Skills-to-jobs matching for residents beside an NHS hospital. "
                "This service uses the ESCO classification of the European Commission."
            ),
        },
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
@public
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API."""
    cached = current_app.extensions.get("useit_openapi")
    if cached is None:
        cached = current_app.extensions["useit_openapi"] = build_document(current_app)
    return jsonify(cached)


@bp.get("/docs")
@public
def docs() -> ResponseReturnValue:
    """A readable page of the API document."""
    document = build_document(current_app)
    schemas = {name: json.dumps(schema, indent=2) for name, schema in document["components"]["schemas"].items()}
    return render_template("api_docs.html", doc=document, schemas=schemas)
