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

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, RootModel

from .auth import public
from .contract import ErrorOut
from .errors import APIError
from .store import LIMIT_ALIASES

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
    "429": "Too many requests (or failed sign-ins) from this address or with this credential",
    "503": "The database is unreachable, or the request needed more than its time box",
}


def param(description: str, *, required: bool = False, **schema: Any) -> dict[str, Any]:
    """A query parameter: what it means and the rule the server enforces on it (JSON Schema)."""
    return {"description": description, "required": required, "schema": {"type": "string", **schema}}


def limit_params(description: str, *, maximum: int, aliases: tuple[str, ...] = ()) -> dict[str, str | dict[str, Any]]:
    """``limit``, the API's one name for how many items to return. The older names an endpoint
    used (``per_page``, ``top``) are still read, and said so here rather than listed as
    parameters of their own (two names for one value would let a request disagree with itself)."""
    older = f" Older name{'s' if len(aliases) > 1 else ''}, still read: {', '.join(aliases)}." if aliases else ""
    return {"limit": param(description + "." + older, type="integer", minimum=1, maximum=maximum)}


def _query_parameter(name: str, spec: str | dict[str, Any]) -> dict[str, Any]:
    found = param(spec) if isinstance(spec, str) else spec
    return {"name": name, "in": "query", **found}


def _credential_ids(node: Any, ids: list[str]) -> None:
    """Give every schema marked ``x-credential-id`` the ids the credential graph knows."""
    if isinstance(node, dict):
        if node.pop("x-credential-id", False):
            node["enum"] = ids
        for value in node.values():
            _credential_ids(value, ids)
    elif isinstance(node, list):
        for value in node:
            _credential_ids(value, ids)


def documented(
    *,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | type[RootModel[Any]] | None = None,
    query: dict[str, str | dict[str, Any]] | None = None,
    multipart: type[BaseModel] | None = None,
    example: Any = None,
    raw: dict[str, dict[str, Any]] | None = None,
) -> Callable[[F], F]:
    """What the OpenAPI document says of a view: its JSON ``body`` model (with an ``example``
    request), ``response`` model, ``query`` parameters, a ``multipart`` upload, or ``raw`` bodies
    by media type (a CSV file, an advert's text) with their own schema and example."""

    def decorate(view: F) -> F:
        view.openapi = {  # type: ignore[attr-defined]
            "body": body,
            "response": response,
            "query": query or {},
            "multipart": multipart,
            "example": example,
            "raw": raw or {},
        }
        return view

    return decorate


def _summary(doc: str) -> str:
    """The first sentence of a view's docstring, in one line and without reST quoting."""
    first = " ".join(doc.split("\n\n")[0].split()).replace("``", "`")
    sentence = re.split(r"(?<=[.:;])\s", first, maxsplit=1)[0]
    return sentence.rstrip(".:;")


def _resolved(value: Any) -> Any:
    """An example given as a function (read when the document is built, not at import)."""
    return value() if callable(value) else value


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
                "summary": _summary(doc),
                "description": doc,
                "tags": [rule.endpoint.split(".")[0]],
                "parameters": [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    for name in sorted(rule.arguments)
                ]
                + [_query_parameter(name, spec) for name, spec in meta.get("query", {}).items()],
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
                json_body: dict[str, Any] = {"schema": _schema(meta["body"], components)}
                if meta.get("example") is not None:
                    json_body["example"] = _resolved(meta["example"])
                operation["requestBody"] = {"required": True, "content": {"application/json": json_body}}
            if meta.get("raw"):
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        media: {
                            **({"schema": _schema(spec["model"], components)} if "model" in spec else {}),
                            **{k: _resolved(v) for k, v in spec.items() if k != "model"},
                        }
                        for media, spec in meta["raw"].items()
                    },
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
    engine = app.extensions.get("useit_engine")
    if engine is not None:
        _credential_ids(components, sorted(engine.assessor.graph.credentials))
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


@bp.before_app_request
def _refuse_unknown_query_parameters() -> None:
    """The API refuses query parameters it does not document (as it refuses unknown body keys):
    a misspelt filter must not silently return everything."""
    view = current_app.view_functions.get(request.endpoint or "")
    policy = getattr(view, "access_policy", None)
    if view is None or policy is None or policy.get("web"):
        return
    known = set(getattr(view, "openapi", {}).get("query", {}))
    if "limit" in known:
        known |= set(LIMIT_ALIASES)  # read by store.limit_arg, as the parameter's description says
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise APIError(
            422,
            "validation_error",
            "the query is not valid",
            [{"location": f"query.{name}", "message": "not a parameter of this endpoint"} for name in unknown],
        )


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
