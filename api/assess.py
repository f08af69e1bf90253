"""Stateless assessment and pathway planning (nothing is stored; open to anyone)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from matcher import InvalidInputError, Resident
from matcher.pathway import plan_pathway
from matcher.profile import parse_pair

from . import examples
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
@documented(body=AssessRequest, response=AssessmentOut, example=examples.assess)
def assess() -> ResponseReturnValue:
    """Assess one resident against one vacancy: eligible now, fit, evidence, gaps and pathway.

    Stateless: nothing is stored. Each criterion of the vacancy is read (credential, qualification,
    experience, skill, language, check, quality or condition), judged from the profile, at interview
    or after an offer, and met or not with the evidence that decided it; unmet essential criteria
    come with the ordered steps, weeks and cost that close them, and bridge roles meanwhile.
    """
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
@documented(body=PathwayRequest, example=examples.pathways)
def pathways() -> ResponseReturnValue:
    """Plan the steps from a resident's profile to one or more credentials (GMC registration, say).

    Steps come in an order where each follows its prerequisites, each with weeks, cost, source and
    the date it was checked; the totals count steps that can run side by side once. Stateless.
    """
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
