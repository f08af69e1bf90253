"""Stateless assessment and pathway planning (nothing is stored; open to anyone)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from matcher import InvalidInputError, Resident
from matcher.pathway import plan_pathway
from matcher.profile import parse_pair

from .auth import public
from .contract import AssessmentOut, CredentialRef, ProfileIn, VacancySpecIn
from .errors import APIError
from .limits import text_budget_problems
from .normalise import json_body
from .openapi import documented
from .schemas import validate

bp = Blueprint("assess", __name__)


class AssessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    resident: ProfileIn = Field(description="Resident profile (DESIGN.md)")
    vacancy: VacancySpecIn = Field(description="Vacancy (DESIGN.md)")
    today: date | None = None


class PathwayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    goals: list[CredentialRef] = Field(min_length=1, max_length=20, description="Canonical credential ids to reach")
    resident: ProfileIn = Field(default_factory=ProfileIn, description="Resident profile (DESIGN.md)")
    today: date | None = None


def _within_budget(body: object) -> object:
    """The body, or a 422 when it carries more text than one request may."""
    if problems := text_budget_problems(body):
        raise APIError(422, "validation_error", "the request is not valid", problems)
    return body


@bp.post("/assess")
@public
@documented(body=AssessRequest, response=AssessmentOut)
def assess() -> ResponseReturnValue:
    payload = validate(AssessRequest, _within_budget(json_body()))
    resident, vacancy = parse_pair(
        payload.resident.model_dump(mode="json", exclude_unset=True),
        payload.vacancy.model_dump(mode="json", exclude_unset=True),
    )
    engine = current_app.extensions["useit_engine"]
    parsed = engine.parse_vacancy(vacancy)
    result = engine.assessor.assess(resident, parsed, today=payload.today or date.today())
    return jsonify(result.to_dict())


@bp.post("/pathways")
@public
@documented(body=PathwayRequest)
def pathways() -> ResponseReturnValue:
    payload = validate(PathwayRequest, _within_budget(json_body()))
    engine = current_app.extensions["useit_engine"]
    graph = engine.assessor.graph
    unknown = [g for g in payload.goals if g not in graph]
    if unknown:
        raise InvalidInputError("unknown credentials", [f"goals: unknown credential id {g!r}" for g in unknown])
    resident = Resident.from_dict(payload.resident.model_dump(mode="json", exclude_unset=True))
    evidence = engine.assessor.evidence(resident, today=payload.today or date.today())
    # The same context /assess plans with, so both endpoints give one resident the same route.
    pathway = plan_pathway(graph, payload.goals, evidence.plan_context())
    return jsonify({"goals": payload.goals, "pathway": pathway.to_dict() if pathway else None})
